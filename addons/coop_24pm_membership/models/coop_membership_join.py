from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .coop_cron import run_in_batches
from .coop_rules import normalize_vat

#: e-mail template of each step of the online journey after the conclusion, sent once (other
#: addons add theirs); the steps before it are the application's (``APPLICATION_JOIN_TEMPLATES``)
JOIN_TEMPLATES = {
    "invoices": "coop_24pm_membership.mail_template_join_invoices",
    "active": "coop_24pm_membership.mail_template_join_active",
}
#: SPEC 7.3: the steps whose e-mail is a finance matter (the other steps go to all agents)
JOIN_FINANCE_STEPS = {"invoices", "mandate", "mandate_confirmed"}


class CoopMembershipJoin(models.Model):
    """Joining 100 % online (SPEC 2.1): the portal journey's rules, kept on the model.

    The journey is a list of steps (``_coop_join_steps``); other addons insert theirs
    (plan and commitment, guarantee, SEPA mandate) by extending that method.
    """

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    date_vat_reminder = fields.Date(
        "VAT number last asked", readonly=True, copy=False, help="Companies that joined while being incorporated."
    )
    # issue 21: the joining invoices, the journey's e-mails sent and its reminder are the
    # application's (it stays the journey's record after its conclusion until active)

    # ------------------------------------------------------------------
    # company profile (SPEC 2.1.6-8)
    # ------------------------------------------------------------------
    @api.model
    def _coop_join_company(
        self, user, vat=None, company_name=None, not_incorporated=False, individual=False, country_code=None, lang=None
    ):
        """Step 2: create the user's company from its VAT (filled by VIES) and make the
        user its first agent. Refusals change nothing. ``lang``: the language chosen for
        the contract, else the country's (see ``res.partner._coop_get_join_lang``)."""
        Partner = self.env["res.partner"].sudo()
        person = user.partner_id.sudo()
        if person.commercial_partner_id.is_company:
            raise UserError(self.env._("Your account already belongs to %s.", person.commercial_partner_id.name))
        if individual:
            raise UserError(
                self.env._(
                    "24PM's members are companies: an individual without enterprise status cannot join. "
                    "Come back once your enterprise number exists."
                )
            )
        vals = {"is_company": True, "is_coop_prospect": True}
        existing = Partner.browse()
        if not_incorporated:
            if not (company_name or "").strip():
                raise UserError(self.env._("Give the name of the company being incorporated."))
            country = self.env["res.country"].search([("code", "=", (country_code or "BE").upper())], limit=1)
            vals.update({"name": company_name.strip(), "coop_not_incorporated": True, "country_id": country.id})
        else:
            try:
                vat = normalize_vat(vat, country_code or "BE")
            except ValueError:
                raise UserError(
                    self.env._(
                        "%s is not a valid VAT or enterprise number. A Belgian enterprise number looks like "
                        "BE0123456749 or 0123.456.749.",
                        vat or "",
                    )
                ) from None
            existing = Partner.search([("vat", "=", vat), ("is_company", "=", True)], limit=1)
            if existing.coop_status in ("applicant", "member", "affiliate") or existing.child_ids.user_ids:
                raise UserError(
                    self.env._(
                        "%s is already a member or applicant of 24PM, or has agents: ask them to invite you.",
                        existing.name,
                    )
                )
            country = self.env["res.country"].search([("code", "=", vat[:2] if vat[:2] != "EL" else "GR")], limit=1)
            vals.update({"name": (company_name or "").strip() or vat, "vat": vat, "country_id": country.id})
            vies = Partner._coop_vies_values(vat)  # raises when VIES says the number is not active
            if vies:
                vals.update(vies)
        # the language of its documents (SPEC 7.6): the one chosen for the contract, else the country's
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        country = self.env["res.country"].browse(vals["country_id"])
        vals["lang"] = lang if lang in installed else Partner._coop_get_join_lang(country, person.lang)
        if existing:
            company = existing
            company.write({k: v for k, v in vals.items() if k != "lang" or not existing.lang})
        else:
            company = Partner.create(vals)
        person.write(
            {
                "parent_id": company.id,
                "coop_right_finance": True,
                "coop_right_projects": True,
                "coop_right_agents": True,
                "is_coop_prospect": False,
            }
        )
        template = self.env.ref("coop_24pm_membership.mail_template_join_company", raise_if_not_found=False)
        if template:
            person.message_post_with_source(template.sudo(), subtype_xmlid="mail.mt_comment")
        return company

    @api.model
    def _coop_join_give_vat(self, user, vat):
        """SPEC 2.1.8: a company that joined while being incorporated gives its VAT number
        once it exists; VIES fills its legal name and address. Refusals change nothing."""
        person = user.partner_id.sudo()
        company = person.commercial_partner_id
        if not (company.is_company and company.coop_not_incorporated):
            raise UserError(self.env._("Your company's VAT number is already known."))
        person._coop_check_right(
            "finance", self.env._("Only an agent with the finance right can give the company's VAT number.")
        )
        try:
            vat = normalize_vat(vat, company.country_id.code or "BE")
        except ValueError:
            raise UserError(
                self.env._(
                    "%s is not a valid VAT or enterprise number. A Belgian enterprise number looks like "
                    "BE0123456749 or 0123.456.749.",
                    vat or "",
                )
            ) from None
        Partner = self.env["res.partner"].sudo()
        other = Partner.search([("vat", "=", vat), ("is_company", "=", True), ("id", "!=", company.id)], limit=1)
        if other:
            raise UserError(self.env._("%s already uses this VAT number: contact 24PM.", other.name))
        vals = {"vat": vat, "coop_not_incorporated": False}
        vies = Partner._coop_vies_values(vat)  # raises when VIES says the number is not active
        if vies:
            vals.update(vies)
        company.write(vals)
        if company.coop_status in ("member", "affiliate"):
            company._coop_set_einvoice_format()
        company.message_post(body=self.env._("VAT number %(vat)s given online by %(user)s.", vat=vat, user=person.name))
        return company

    # the application, its signature and its conclusion are coop.membership.application's
    # (issue 15 item 4, see coop_membership_application_join.py)

    # the B share (and guarantee) invoiced once accepted are the application's (issue 21,
    # see coop_membership_application_join.py: ``_coop_join_invoice``)

    # ------------------------------------------------------------------
    # e-mails of the journey, one per step
    # ------------------------------------------------------------------
    def _coop_join_template_xmlid(self, key):
        return JOIN_TEMPLATES.get(key)

    def _coop_join_notify(self, key):
        """Send the e-mail of a step once per membership (in the member's language); the
        steps sent are recorded on its application (the journey's record, issue 21): a
        membership without one did not join online and has no journey."""
        xmlid = self._coop_join_template_xmlid(key)
        template = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return False
        for membership in self.sudo().filtered("application_id"):
            application = membership.application_id
            sent = set(filter(None, (application.join_mail_keys or "").split(",")))
            if key in sent:
                continue
            right = "finance" if key in JOIN_FINANCE_STEPS else None
            membership._coop_send_notice("journey", template, right=right)
            application.join_mail_keys = ",".join(sorted(sent | {key}))
        return True

    def _coop_join_activate(self):
        """Activation, when nothing else is missing, of a membership concluded online."""
        for membership in self.filtered(lambda m: m.state == "registered"):
            try:
                with self.env.cr.savepoint():
                    membership.action_activate()
            except UserError:
                # a later step (mandate or prepayment) is still missing: the journey says which
                continue
            membership._coop_join_notify("active")

    @api.model
    def _cron_join_reminder(self):
        """An abandoned journey is reminded once, the regulation's ``join_reminder_days`` (7)
        after its last change: before the signature (the application's), or registered
        without its payment step."""
        applications = self.env["coop.membership.application"]._cron_join_reminder()
        domain = (
            Domain("application_id.origin", "=", "online")
            # registered online but not active: the payment step (mandate or prepayments) is missing
            & Domain("state", "=", "registered")
            & self.env["coop.regulation"]._coop_older_than("write_date", "join_reminder_days", fields.Datetime.now())
            & Domain("application_id.date_payment_reminder", "=", False)
        )
        stale = self.search(domain)
        template = self.env.ref("coop_24pm_membership.mail_template_join_reminder")
        today = fields.Date.context_today(self)

        def remind(membership):
            if not membership.application_id.date_payment_reminder:
                membership._coop_send_notice("journey", template)
                membership.application_id.date_payment_reminder = today

        return applications + len(run_in_batches(stale, remind)) + self._coop_remind_vat()

    @api.model
    def _coop_remind_vat(self):
        """Members that joined while being incorporated are asked for their VAT number
        every ``vat_reminder_days`` of their regulation (30) until they give it (SPEC 2.1.8)."""
        today = fields.Date.context_today(self)
        due = self.search(
            Domain("partner_id.coop_not_incorporated", "=", True)
            & self._coop_state_domain("member")
            & (
                Domain("date_vat_reminder", "=", False)
                # reminded again on the day the delay is over
                | self.env["coop.regulation"]._coop_older_than(
                    "date_vat_reminder", "vat_reminder_days", fields.Date.add(today, days=1)
                )
            )
        )
        template = self.env.ref("coop_24pm_membership.mail_template_join_vat_reminder")

        def remind(membership):
            membership._coop_send_notice("journey", template)
            membership.date_vat_reminder = today

        return len(run_in_batches(due, remind))
