from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .coop_rules import normalize_vat


class CoopMembershipJoin(models.Model):
    """Joining 100 % online (SPEC 2.1): the portal journey's rules, kept on the model.

    The journey is a list of steps (``_coop_join_steps``); other addons insert theirs
    (plan and commitment, guarantee, SEPA mandate) by extending that method.
    """

    _inherit = "coop.membership"

    origin = fields.Selection([("staff", "Staff"), ("online", "Online")], default="staff", readonly=True)
    signature = fields.Image("Signature", max_width=1024, max_height=1024, copy=False, attachment=True)
    signed_by_user_id = fields.Many2one("res.users", "Signed online by", readonly=True, copy=False)
    date_join_reminder = fields.Date("Journey reminder sent", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------
    def _coop_join_steps(self):
        """Ordered steps of the online journey: dicts with key, label and done.

        ``self`` may be empty (no membership yet); other addons insert their steps.
        """
        company_done = self.env.user.partner_id.commercial_partner_id.is_company
        return [
            {"key": "account", "label": self.env._("Free account"), "done": True},
            {"key": "company", "label": self.env._("Company profile"), "done": bool(company_done)},
            {
                "key": "contract",
                "label": self.env._("E-contract"),
                "done": bool(self) and self.state not in ("draft", "sent"),
            },
            {
                "key": "acceptance",
                "label": self.env._("Acceptance"),
                "done": bool(self) and self.state in ("registered", "active"),
            },
        ]

    def _coop_join_current_step(self):
        return next((step for step in self._coop_join_steps() if not step["done"]), None)

    # ------------------------------------------------------------------
    # company profile (SPEC 2.1.6-8)
    # ------------------------------------------------------------------
    @api.model
    def _coop_join_company(
        self, user, vat=None, company_name=None, not_incorporated=False, individual=False, country_code=None
    ):
        """Step 2: create the user's company from its VAT (filled by VIES) and make the
        user its first agent. Refusals change nothing."""
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
        vals = {"is_company": True, "is_coop_prospect": True, "lang": person.lang}
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
        if existing:
            company = existing
            company.write({k: v for k, v in vals.items() if k != "lang"})
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
        return company

    # ------------------------------------------------------------------
    # application and signature (SPEC 2.1.3-4)
    # ------------------------------------------------------------------
    @api.model
    def _coop_join_get_membership(self, user):
        company = user.partner_id.commercial_partner_id
        if not company.is_company:
            return self.browse()
        return self.sudo().search([("partner_id", "=", company.id)], order="id desc", limit=1)

    @api.model
    def _coop_join_apply(self, user, vals=None):
        """Create the application (once: a second click creates nothing) and send the e-contract."""
        membership = self._coop_join_get_membership(user)
        if membership and membership.state != "terminated":
            return membership
        company = user.partner_id.commercial_partner_id
        if not company.is_company:
            raise UserError(self.env._("Enter your company's profile first."))
        membership = self.sudo().create({"partner_id": company.id, "origin": "online", **(vals or {})})
        membership.action_send_contract()
        return membership

    def _coop_join_sign(self, user, name, capacity, has_power, signature):
        """Accept the e-contract online (Odoo portal signature), then register when the
        company's country is accepted automatically (BE, FR, DE, LU, NL)."""
        self.ensure_one()
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        self.action_sign(fields.Date.context_today(self), name, capacity, has_power)
        self.write({"signature": signature, "signed_by_user_id": user.id})
        self._coop_join_attach_signed_contract()
        self._coop_join_conclude()
        return True

    def _coop_join_attach_signed_contract(self):
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("coop_24pm_membership.action_report_membership_contract", self.ids)
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
        """Registration (and activation, when nothing else is missing) without staff
        for the countries accepted automatically; the others wait for staff."""
        for membership in self.filtered(lambda m: m.state == "signed" and m.acceptance in ("auto", "accepted")):
            membership.action_register()
            try:
                membership.action_activate()
            except UserError:
                # a later step (guarantee, mandate) is still missing: the journey says which
                continue

    @api.model
    def _cron_join_reminder(self):
        """An abandoned journey is reminded once, 7 days after its last change."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=7)
        domain = (
            Domain("origin", "=", "online")
            & Domain("state", "in", ("draft", "sent"))
            & Domain("write_date", "<", limit)
            & Domain("date_join_reminder", "=", False)
        )
        stale = self.search(domain)
        template = self.env.ref("coop_24pm_membership.mail_template_join_reminder")
        for membership in stale:
            membership.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        stale.write({"date_join_reminder": fields.Date.context_today(self)})
        return len(stale)

    @api.constrains("signature")
    def _check_signature_needs_power(self):
        for membership in self.filtered("signature"):
            if not membership.signatory_has_power:
                raise ValidationError(self.env._("A signature is only valid with the statement of the power to bind."))
