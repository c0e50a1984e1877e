import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .coop_cron import run_in_batches
from .coop_membership import SERVING_STATES

#: e-mail template of each step of the online journey, sent once (other addons add theirs):
#: before the conclusion, the application's; after it, the membership's (the template's model)
APPLICATION_JOIN_TEMPLATES = {
    "applied": "coop_24pm_membership.mail_template_application_join_applied",
    "signed": "coop_24pm_membership.mail_template_application_join_signed",
    "invoices": "coop_24pm_membership.mail_template_join_invoices",
    "active": "coop_24pm_membership.mail_template_join_active",
}
#: SPEC 7.3: the steps whose e-mail is a finance matter (the other steps go to all agents)
APPLICATION_FINANCE_STEPS = {"invoices", "mandate", "mandate_confirmed"}


class CoopMembershipApplicationJoin(models.Model):
    """Joining 100 % online (SPEC 2.1) on the application (issue 15 item 4): the portal
    journey's rules. The journey is a list of steps (``_coop_join_steps``); other addons
    insert theirs (plan and commitment, SEPA mandate) by extending that method. The
    application stays the journey's record after its conclusion, until the membership is
    active (its payment step may come after the entry in the register)."""

    _inherit = "coop.membership.application"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    date_join_reminder = fields.Date("Journey reminder sent", readonly=True, copy=False)
    join_mail_keys = fields.Char(
        "Journey e-mails sent", readonly=True, copy=False, help="Steps whose e-mail was sent (once each)."
    )
    date_payment_reminder = fields.Date(
        "Payment step reminder sent",
        readonly=True,
        copy=False,
        help="Concluded online, registered without its payment step (mandate or prepayments): reminded once.",
    )
    join_share_move_id = fields.Many2one(
        "account.move",
        "B-share invoice",
        readonly=True,
        copy=False,
        help="The B-share subscription invoiced online at signature; the register entry uses it.",
    )
    join_invoice_ids = fields.Many2many("account.move", string="Joining invoices", compute="_compute_join_invoice_ids")
    join_step = fields.Char("Online journey step", compute="_compute_join_step")
    coop_partner_to_finance = fields.Char(compute="_compute_coop_partner_to_finance")

    def _compute_coop_partner_to_finance(self):
        for application in self:
            application.coop_partner_to_finance = application.partner_id._coop_recipients_to("finance")

    def _compute_join_invoice_ids(self):
        for application in self:
            application.join_invoice_ids = application._coop_join_invoices()

    def _compute_join_step(self):
        for application in self:
            if application.origin != "online":
                application.join_step = False
                continue
            step = application._coop_join_current_step()
            application.join_step = step["label"] if step else self.env._("Completed")

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------
    def _coop_join_steps(self):
        """Ordered steps of the online journey: dicts with key, label and done.

        ``self`` may be empty (no application yet); other addons insert their steps.
        """
        company_done = bool(self) or self.env.user.partner_id.commercial_partner_id.is_company
        signed = bool(self) and self.state in ("signed", "done")
        membership = self.membership_id if self else self.env["coop.membership"]
        return [
            {"key": "account", "label": self.env._("Free account"), "done": True},
            {"key": "company", "label": self.env._("Company profile"), "done": bool(company_done)},
            {"key": "contract", "label": self.env._("E-contract"), "done": signed},
            {
                # issue 15: nothing is invoiced before the application is accepted
                # (automatically for BE/FR/DE/LU/NL, by staff otherwise)
                "key": "acceptance",
                "label": self.env._("Acceptance"),
                "done": signed and self._coop_is_accepted(),
            },
            {
                "key": "invoices",
                "label": self.env._("B share"),
                "done": bool(membership) and bool(self._coop_join_invoices_done()),
            },
        ]

    def _coop_join_current_step(self):
        return next((step for step in self._coop_join_steps() if not step["done"]), None)

    # ------------------------------------------------------------------
    # company profile (SPEC 2.1.6-8)
    # ------------------------------------------------------------------
    @api.model
    def _coop_join_company(
        self, user, vat=None, company_name=None, not_incorporated=False, individual=False, country_code=None, lang=None
    ):
        """Step 2 of the journey, before any application: create the user's company from
        its VAT (filled by VIES) and make the user its first agent. Refusals change
        nothing. ``lang``: the language chosen for the contract, else the country's (see
        ``res.partner._coop_get_join_lang``)."""
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
            vat = Partner._coop_normalize_vat(vat, country_code)
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

    # ------------------------------------------------------------------
    # application and signature (SPEC 2.1.3-4)
    # ------------------------------------------------------------------
    @api.model
    def _coop_join_get_application(self, user):
        """The user's company's latest application (any state), or nothing."""
        company = user.partner_id.commercial_partner_id
        if not company.is_company:
            return self.browse()
        return self.sudo().search([("partner_id", "=", company.id)], order="id desc", limit=1)

    def _coop_join_is_current(self):
        """Whether this application is the company's journey in progress: open, or concluded
        into a membership that is not terminated."""
        self.ensure_one()
        if self.state in ("draft", "sent", "signed"):
            return True
        return self.state == "done" and self.membership_id.state != "terminated"

    @api.model
    def _coop_join_apply(self, user, vals=None):
        """Create the application (once: a second click creates nothing) and send the e-contract."""
        application = self._coop_join_get_application(user)
        if application and application._coop_join_is_current():
            return application
        company = user.partner_id.commercial_partner_id
        if not company.is_company:
            raise UserError(self.env._("Enter your company's profile first."))
        try:
            with self.env.cr.savepoint():
                application = self.sudo().create({"partner_id": company.id, "origin": "online", **(vals or {})})
        except psycopg2.errors.UniqueViolation:
            # a simultaneous click created it in another transaction (unique open application)
            raise UserError(self.env._("Your application is already being created: reload the page.")) from None
        application._coop_join_notify("applied")
        application.action_send_contract()
        return application

    def _coop_join_sign(self, user, name, capacity, has_power, signature):
        """Accept the e-contract online (Odoo portal signature), then conclude when the
        company's country is accepted automatically (BE, FR, DE, LU, NL)."""
        self.ensure_one()
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        self.action_sign(fields.Date.context_today(self), name, capacity, has_power)
        self.write({"signature": signature, "signed_by_user_id": user.id})
        self._coop_join_attach_signed_contract()
        self._coop_join_notify("signed")
        self._coop_join_conclude()
        return True

    def _coop_join_attach_signed_contract(self):
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("coop_24pm_membership.action_report_application_contract", self.ids)
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Signed contract %s.pdf", self.name),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _coop_join_conclude(self):
        """A signed application accepted (by its country or by staff) is concluded: its
        joining invoices are issued and it is entered in the register; the membership is
        then activated when nothing else is missing (a payment step may still be)."""
        ready = self.filtered(lambda a: a.state == "signed" and a._coop_is_accepted())
        ready.sudo().action_conclude()
        self.filtered(lambda a: a.state == "done").sudo()._coop_join_activate()
        return True

    def _coop_join_activate(self):
        """Activation, when nothing else is missing, of the membership concluded online
        (the application stays the journey's record until it is active)."""
        for application in self.filtered(lambda a: a.membership_id.state == "registered"):
            try:
                with self.env.cr.savepoint():
                    application.membership_id.action_activate()
            except UserError:
                # a later step (mandate or prepayment) is still missing: the journey says which
                continue
            application._coop_join_notify("active")

    def action_accept(self):
        res = super().action_accept()
        self.filtered(lambda a: a.origin == "online")._coop_join_conclude()
        return res

    # ------------------------------------------------------------------
    # B share (and guarantee) invoiced once accepted (SPEC 2.1.2; issue 15: never before)
    # ------------------------------------------------------------------
    def _coop_join_invoices(self):
        """The invoices issued by the journey (B share; other addons add theirs)."""
        self.ensure_one()
        return self.join_share_move_id

    def _coop_join_may_invoice(self):
        """The applications whose joining invoices may be issued: concluded (its membership
        exists from the conclusion of an accepted application, issue 15) and accepted."""
        return self.filtered(
            lambda a: a.membership_id.state in SERVING_STATES and a.membership_id.sudo()._coop_is_accepted()
        )

    def _coop_join_invoices_done(self):
        """Whether the joining invoices are issued (other addons add theirs)."""
        return self.join_share_move_id.state == "posted" or bool(self.membership_id.share_line_ids)

    def _coop_join_invoice(self):
        """Invoice what joining costs once the application is accepted (issue 15: an
        application waiting for staff is invoiced nothing): the EUR 1.00 B share (other
        addons add the guarantee), each invoice once (a reload or a second click creates
        nothing), posted with a Belgian structured communication."""
        self.lock_for_update()
        for application in self.sudo()._coop_join_may_invoice():
            if not application.join_share_move_id and not application.membership_id.share_line_ids:
                application.join_share_move_id = application._coop_join_create_share_invoice()
        issued = self.filtered(lambda a: a.sudo()._coop_join_invoices_done())
        issued._coop_join_notify("invoices")
        return True

    def _coop_join_create_share_invoice(self):
        """The B-share subscription invoice of the membership concluded, built like the
        register's (capital account, share journal), before the entry exists: the entry
        reuses it at registration."""
        self.ensure_one()
        membership = self.membership_id
        b_class = self.env.ref("coop_24pm_membership.share_class_b")
        draft_line = self.env["coop.share.line"].new(
            {
                "name": membership.name,
                "date": fields.Date.context_today(self),
                "partner_id": membership.partner_id.id,
                "membership_id": membership.id,
                "share_class_id": b_class.id,
                "operation": "subscription",
                "quantity": 1,
                "nominal_value": b_class.nominal_value,
                "company_id": membership.company_id.id,
            }
        )
        vals = draft_line._prepare_move_vals()
        vals["ref"] = membership.name
        vals["invoice_origin"] = membership.name
        vals["invoice_line_ids"][0][2]["name"] = self.with_context(
            lang=membership.partner_id.lang or self.env.lang
        ).env._("%(cls)s: subscription of one share - membership %(ref)s", cls=b_class.name, ref=membership.name)
        return self._coop_join_post_invoice(vals)

    def _coop_join_post_invoice(self, vals):
        """Post a joining invoice with a Belgian structured communication (+++xxx/xxxx/xxxxx+++)."""
        move = self.env["account.move"].sudo().create(vals)
        move._coop_post()
        if not (move.payment_reference or "").startswith("+++"):
            # journal not set to the Belgian model: compute the structured communication anyway
            move.payment_reference = move._get_invoice_reference_be_invoice()
        return move

    # ------------------------------------------------------------------
    # e-mails of the journey, one per step
    # ------------------------------------------------------------------
    def _coop_join_template_xmlid(self, key):
        return APPLICATION_JOIN_TEMPLATES.get(key)

    def _coop_join_notify(self, key):
        """Send the e-mail of a step once per application (in the company's language): a
        step after the conclusion is written to its membership (the template's model)."""
        xmlid = self._coop_join_template_xmlid(key)
        template = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return False
        right = "finance" if key in APPLICATION_FINANCE_STEPS else None
        to_membership = template.model == "coop.membership"
        for application in self.sudo():
            sent = set(filter(None, (application.join_mail_keys or "").split(",")))
            if key in sent or (to_membership and not application.membership_id):
                continue
            if to_membership:
                application.membership_id._coop_send_notice("journey", template, right=right)
            else:
                application._coop_send_notice("journey", template.sudo(), right=right)
            application.join_mail_keys = ",".join(sorted(sent | {key}))
        return True

    @api.model
    def _cron_join_reminder(self):
        """An abandoned journey is reminded once, the regulation's ``join_reminder_days`` (7)
        after its last change: an online application before the signature, or concluded
        (registered) without its payment step. The job also asks the members that joined
        while being incorporated for their VAT number (the company's ``_coop_remind_vat``)."""
        stale = self.search(
            Domain("origin", "=", "online")
            & Domain("state", "in", ("draft", "sent"))
            & self.env["coop.regulation"]._coop_older_than("write_date", "join_reminder_days", fields.Datetime.now())
            & Domain("date_join_reminder", "=", False)
        )
        template = self.env.ref("coop_24pm_membership.mail_template_application_join_reminder")
        today = fields.Date.context_today(self)

        def remind(application):
            if not application.date_join_reminder:
                application._coop_send_notice("journey", template.sudo())
                application.date_join_reminder = today

        applications = len(run_in_batches(stale, remind))
        return applications + self._coop_remind_payment() + self.env["res.partner"]._coop_remind_vat()

    @api.model
    def _coop_remind_payment(self):
        """A membership concluded online and registered without its payment step (mandate
        or prepayments) is reminded once, ``join_reminder_days`` after its last change."""
        Membership = self.env["coop.membership"]
        stale = Membership.search(
            Domain("application_id.origin", "=", "online")
            # registered online but not active: the payment step (mandate or prepayments) is missing
            & Domain("state", "=", "registered")
            & self.env["coop.regulation"]._coop_older_than("write_date", "join_reminder_days", fields.Datetime.now())
            & Domain("application_id.date_payment_reminder", "=", False)
        )
        template = self.env.ref("coop_24pm_membership.mail_template_join_reminder")
        today = fields.Date.context_today(self)

        def remind(membership):
            if not membership.application_id.date_payment_reminder:
                membership._coop_send_notice("journey", template)
                membership.application_id.date_payment_reminder = today

        return len(run_in_batches(stale, remind))
