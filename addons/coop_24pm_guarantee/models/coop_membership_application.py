from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base_iban.models.res_partner_bank import normalize_iban, pretty_iban, validate_iban

#: the e-mails of the mandate step: signed online (the application's), confirmed by staff
#: (the membership's)
APPLICATION_JOIN_TEMPLATES = {
    "mandate": "coop_24pm_guarantee.mail_template_application_join_mandate",
    "mandate_confirmed": "coop_24pm_guarantee.mail_template_join_mandate_confirmed",
}


class CoopMembershipApplication(models.Model):
    """The guarantee and the payment mode agreed with the application (SPEC 4.1, 4.3, 7.5):
    written on the e-contract, copied to the membership at its conclusion, which invoices
    the guarantee (never before the acceptance, issue 15)."""

    _name = "coop.membership.application"
    _inherit = ["coop.membership.application", "coop.guarantee.terms.mixin"]

    coop_payment_mode = fields.Selection(
        [("direct_debit", "SEPA B2B direct debit"), ("prepayment", "Prepayments")],
        "Payment mode",
        tracking=True,
        help="Direct debit from a B2B mandate is the rule; prepayments of an agreed amount are the exception.",
    )
    prepayment_amount = fields.Monetary("Agreed prepayment", tracking=True)
    prepayment_frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")], default="monthly"
    )
    join_payment_choice = fields.Selection(
        [("direct_debit", "SEPA B2B direct debit"), ("prepayment", "Prepayments")],
        "Payment chosen online",
        readonly=True,
        copy=False,
    )
    join_mandate_id = fields.Many2one(
        "account.banking.mandate", "Mandate signed online", readonly=True, copy=False, index="btree_not_null"
    )
    join_mandate_state = fields.Selection(related="join_mandate_id.state", string="Mandate status")
    mandate_id = fields.Many2one("account.banking.mandate", "B2B mandate", compute="_compute_mandate_id")

    def _compute_mandate_id(self):
        for application in self:
            application.mandate_id = (
                application.join_mandate_id.filtered(lambda m: m.state == "valid")
                or application._coop_get_b2b_mandate()
            )

    def _coop_get_b2b_mandate(self):
        """The company's valid SEPA B2B mandate (a paper one registered before the contract)."""
        self.ensure_one()
        return self.env["account.banking.mandate"]._coop_b2b_mandate_of(self.partner_id, self.company_id)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._coop_credit_assessment_vals(vals, creating=True) for vals in vals_list])

    def write(self, vals):
        return super().write(self._coop_credit_assessment_vals(vals))

    def _coop_on_refuse(self):
        res = super()._coop_on_refuse()
        self.join_mandate_id.sudo().filtered(lambda m: m.state in ("draft", "valid")).cancel()
        return res

    def _prepare_membership_vals(self):
        vals = super()._prepare_membership_vals()
        if self.coop_payment_mode:
            # else the membership's own default: direct debit when a B2B mandate exists
            vals["coop_payment_mode"] = self.coop_payment_mode
        if self.prepayment_amount:
            vals.update(
                {"prepayment_amount": self.prepayment_amount, "prepayment_frequency": self.prepayment_frequency}
            )
        # the guarantee's terms go to the membership's guarantee (``coop.guarantee._coop_create_for``)
        return vals

    def action_confirm_join_mandate(self):
        """Staff: the member's bank registered the B2B mandate signed online; it becomes valid."""
        for application in self:
            mandate = application.join_mandate_id
            if not mandate or mandate.state != "draft" or not mandate.coop_signed_on:
                raise UserError(self.env._("There is no signed mandate awaiting the bank's confirmation."))
            mandate.validate()
            application.membership_id.message_post(
                body=self.env._("Mandate %s confirmed: registered by the member's bank.", mandate.display_name)
            )
            application._coop_join_notify("mandate_confirmed")
        self.filtered(lambda a: a.origin == "online")._coop_join_activate()
        return True

    def action_conclude(self, date=None):
        res = super().action_conclude(date)
        # the mandate signed online belongs to the membership from its conclusion
        for application in self.filtered("join_mandate_id"):
            application.join_mandate_id.sudo().coop_membership_id = application.membership_id
        return res

    # ------------------------------------------------------------------
    # the journey's payment step (SPEC 2.1.3, 4.3): before or after the conclusion
    # ------------------------------------------------------------------
    def _coop_join_template_xmlid(self, key):
        return APPLICATION_JOIN_TEMPLATES.get(key) or super()._coop_join_template_xmlid(key)

    def _coop_join_steps(self):
        steps = super()._coop_join_steps()
        for step in steps:
            if step["key"] == "invoices":
                step["label"] = self.env._("B share and guarantee")
        index = next((i for i, step in enumerate(steps) if step["key"] == "acceptance"), len(steps))
        mandate = self.join_mandate_id if self else self.env["account.banking.mandate"]
        waiting_bank = bool(mandate) and mandate.state == "draft" and bool(mandate.coop_signed_on)
        steps.insert(
            index,
            {
                "key": "mandate",
                "label": self.env._("SEPA B2B mandate"),
                "done": bool(self) and self._coop_join_payment_done(),
                "waiting": waiting_bank,
                "hint": self.env._("Registered by you with your bank? 24PM confirms it once your bank has it.")
                if waiting_bank
                else False,
            },
        )
        return steps

    def _coop_join_payment_done(self):
        """The payment step is done with prepayments chosen, or a B2B mandate signed
        online (valid, or awaiting the bank's confirmation), or a valid B2B mandate."""
        self.ensure_one()
        if self.coop_payment_mode == "prepayment":
            return True
        mandate = self.join_mandate_id
        if mandate.state == "valid" or (mandate.state == "draft" and mandate.coop_signed_on):
            return True
        return bool(
            self.env["account.banking.mandate"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("state", "=", "valid"),
                    ("scheme", "=", "B2B"),
                    ("company_id", "in", (False, self.company_id.id)),
                ],
                limit=1,
            )
        )

    def _coop_join_check_payment_user(self, user):
        """Art. 4.6: the payment step (IBAN, mandate, prepayments) is a finance matter:
        ``user`` needs the finance right of its mandate."""
        user.partner_id._coop_check_right(
            "finance", self.env._("Your mandate does not include finance: ask the company's main agent.")
        )

    def _coop_join_check_payment_step(self):
        """The payment step belongs to the journey between the signature and the
        activation: an active membership changes its payment mode through 24PM's staff
        (issue 22), never by replaying a step of the journey."""
        self.ensure_one()
        if self.membership_id.state == "active":
            raise UserError(
                self.env._(
                    "Your membership is active: its payment mode is set. Ask 24PM to change it "
                    "(direct debit or prepayments)."
                )
            )
        concluded = self.state == "done" and self.membership_id.state == "registered"
        if not (self.state == "signed" or concluded) or self.acceptance == "refused":
            raise UserError(self.env._("Sign your membership contract first."))

    def _coop_join_write_payment(self, vals):
        """The payment chosen in the journey, on the application and, once concluded, its payment
        mode on its membership (the choice and the mandate signed online stay the application's)."""
        self.sudo().write(vals)
        member_vals = {key: value for key, value in vals.items() if key in self.membership_id._fields}
        if self.membership_id and member_vals:
            self.membership_id.sudo().write(member_vals)

    def _coop_join_mandate_iban(self, user, acc_number):
        """Step 6: the member's IBAN (validated) and its B2B mandate in draft, once: a
        reload reuses it, another IBAN before signing replaces the account of the draft."""
        self.ensure_one()
        self._coop_join_check_payment_user(user)
        self._coop_join_check_payment_step()
        company = self.partner_id
        try:
            validate_iban(acc_number or "")
        except ValidationError:
            raise UserError(
                self.env._("%s is not a valid IBAN (e.g. BE68 5390 0754 7034).", (acc_number or "").strip())
            ) from None
        acc_number = normalize_iban(acc_number)
        if self.join_mandate_id.coop_signed_on or self.join_mandate_id.state == "valid":
            raise UserError(self.env._("Your mandate is already signed."))
        Bank = self.env["res.partner.bank"].sudo()
        bank = Bank.search([("partner_id", "=", company.id), ("sanitized_acc_number", "=", acc_number)], limit=1)
        if not bank:
            bank = Bank.create({"acc_number": pretty_iban(acc_number), "partner_id": company.id})
        mandate = self.join_mandate_id.sudo()
        if mandate:
            mandate.partner_bank_id = bank
        else:
            mandate = (
                self.env["account.banking.mandate"]
                .sudo()
                .create(
                    {
                        "partner_bank_id": bank.id,
                        "format": "sepa",
                        "type": "recurrent",
                        "scheme": "B2B",
                        "recurrent_sequence_type": "first",
                        "company_id": self.company_id.id,
                        "state": "draft",
                        "coop_membership_id": self.membership_id.id,
                    }
                )
            )
        self._coop_join_write_payment(
            {"join_mandate_id": mandate.id, "join_payment_choice": "direct_debit", "coop_payment_mode": "direct_debit"}
        )
        return mandate

    def _coop_join_mandate_sign(self, user, name, signature):
        """Sign the mandate online (Odoo's portal signature); it waits in draft until
        staff confirm that the member's bank registered it."""
        self.ensure_one()
        self._coop_join_check_payment_user(user)
        mandate = self.join_mandate_id.sudo()
        if mandate.coop_signed_on:
            return mandate  # a second click signs nothing more
        self._coop_join_check_payment_step()
        if not mandate:
            raise UserError(self.env._("Enter the IBAN of the account to debit first."))
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        if not (name or "").strip():
            raise UserError(self.env._("Give the name of the signatory."))
        today = fields.Date.context_today(self)
        mandate.write(
            {
                "signature_date": today,
                "coop_signature": signature,
                "coop_signed_by": name.strip(),
                "coop_signed_by_user_id": user.id,
                "coop_signed_on": fields.Datetime.now(),
            }
        )
        mandate._coop_attach_signed_pdf()
        self._coop_join_notify("mandate")
        self._coop_join_conclude()
        return mandate

    def _coop_join_choose_prepayment(self, user):
        """Prepayments instead of direct debit (SPEC 4.3): the mandate step is skipped."""
        self.ensure_one()
        self._coop_join_check_payment_user(user)
        self._coop_join_check_payment_step()
        if self.join_mandate_id.coop_signed_on:
            raise UserError(self.env._("Your mandate is already signed: direct debit is your payment mode."))
        draft = self.join_mandate_id.sudo().filtered(lambda m: m.state == "draft")
        draft.cancel()
        self._coop_join_write_payment(
            {"join_payment_choice": "prepayment", "coop_payment_mode": "prepayment", "join_mandate_id": False}
        )
        self._coop_join_conclude()
        return True

    def _coop_join_apply(self, user, vals=None):
        """Online, direct debit is the rule (SPEC 4.3): prepayments are an explicit choice."""
        vals = dict(vals or {})
        vals.setdefault("coop_payment_mode", "direct_debit")
        return super()._coop_join_apply(user, vals)
