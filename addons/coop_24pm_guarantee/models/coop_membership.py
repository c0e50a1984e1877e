from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class CoopMembership(models.Model):
    """Guarantee (art. 7), trust account (art. 4.7) and payment mode (art. 6.1)."""

    _inherit = "coop.membership"

    # the guarantee's terms (art. 7, SPEC 7.5) are its record's (issue 21)
    guarantee_id = fields.Many2one("coop.guarantee", "Guarantee", readonly=True, copy=False, index="btree_not_null")
    # payment (art. 6.1, 6.2); the agreed prepayments' schedule is ``coop.prepayment.account``'s
    coop_payment_mode = fields.Selection(
        [("direct_debit", "SEPA B2B direct debit"), ("prepayment", "Prepayments")],
        "Payment mode",
        compute="_compute_coop_payment_mode",
        store=True,
        readonly=False,
        tracking=True,
        help="Direct debit from a B2B mandate is the rule; prepayments of an agreed amount are the exception.",
    )
    coop_payment_mode_reason = fields.Char("Why this mode", compute="_compute_coop_payment_mode_reason")
    prepayment_amount = fields.Monetary("Agreed prepayment", tracking=True)
    prepayment_frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")], default="monthly"
    )

    def _coop_request_refusal(self, on_date=None):
        """SPEC 7.5: the credit line also blocks new work once the member's risk exceeds it."""
        return super()._coop_request_refusal(on_date) or self.partner_id._coop_credit_line_refusal(self.currency_id)

    @api.depends("partner_id")
    def _compute_coop_payment_mode(self):
        for membership in self:
            if not membership.coop_payment_mode:
                membership.coop_payment_mode = "direct_debit" if membership._coop_get_b2b_mandate() else "prepayment"

    @api.depends("coop_payment_mode", "partner_id")
    def _compute_coop_payment_mode_reason(self):
        Mandate = self.env["account.banking.mandate"]
        for membership in self:
            mandate = membership._coop_get_b2b_mandate() if membership.partner_id else Mandate
            membership.coop_payment_mode_reason = Mandate._coop_payment_mode_reason(
                membership.coop_payment_mode, mandate
            )

    def _is_late(self, late_partners):
        """The guarantee unpaid after its deadline is a late payment too (art. 7)."""
        return super()._is_late(late_partners) or self.guarantee_id.guarantee_overdue

    def _get_attention_candidates_domains(self):
        return [*super()._get_attention_candidates_domains(), [("guarantee_id.guarantee_overdue", "=", True)]]

    @api.model_create_multi
    def create(self, vals_list):
        memberships = super().create(vals_list)
        self.env["coop.guarantee"]._coop_create_for(memberships)
        memberships._coop_apply_oca_payment_mode()
        return memberships

    def _coop_apply_oca_payment_mode(self):
        for membership in self.filtered(lambda m: m.state != "terminated"):
            membership.partner_id._coop_set_payment_mode(
                membership.company_id,
                membership.coop_payment_mode == "direct_debit" and bool(membership._coop_get_b2b_mandate()),
            )

    def write(self, vals):
        res = super().write(vals)
        if "coop_payment_mode" in vals:
            self._coop_apply_oca_payment_mode()
        if {"prepayment_amount", "prepayment_frequency"} & set(vals):
            # the agreement changed: its contract line follows
            for account in self._get_prepayment_account():
                account._sync_contract_line()
        return res

    def _get_prepayment_account(self):
        """The prepayment accounts of these members (``coop.prepayment.account``, same ids;
        not the advances account of the books, ``res.company._coop_get_prepayment_account``)."""
        return self.env["coop.prepayment.account"].browse(self.ids)

    def action_view_prepayment_account(self):
        """The member's prepayments: the next invoice of the schedule and what is prepaid
        and not used (``coop.prepayment.account``)."""
        return self._get_prepayment_account()._get_records_action(name=self.env._("Prepayments"))

    def _get_guarantee_paid(self):
        self.ensure_one()
        return self.env["coop.guarantee"]._coop_get_balances(self).get(self.partner_id.id, 0.0)

    def _get_guarantees_paid(self):
        balances = self.env["coop.guarantee"]._coop_get_balances(self)
        return {membership.id: balances.get(membership.partner_id.id, 0.0) for membership in self}

    def _has_credit_line(self):
        """SPEC 7.5: a credit line is granted when the partner's credit limit is set (issue 21:
        read here, no longer a field of the membership)."""
        self.ensure_one()
        return float_compare(self.partner_id.credit_limit, 0.0, precision_digits=2) > 0

    def _coop_no_finance_message(self):
        """Art. 4.6: the refusal of a finance matter to an agent without the finance right."""
        return self.env._("Your mandate does not include finance: ask the company's main agent.")

    def action_request_topup(self, amount, method="transfer", requested_by=None):
        """Portal and replay entry point (``coop.guarantee.action_request_topup``)."""
        return self.guarantee_id.action_request_topup(amount, method, requested_by)

    def action_draw_for_unpaid(self):
        return self.guarantee_id.action_draw_for_unpaid()

    def action_request_guarantee_refund(self):
        """Art. 7.3: the member (portal) or staff for it asks for the refund of the
        guarantee balance: a ``coop.guarantee.refund``."""
        self.env["coop.guarantee.refund"]._coop_request(self)
        return True

    def action_view_guarantee(self):
        return self.guarantee_id._get_records_action()

    def _coop_get_b2b_mandate(self):
        """The company's valid SEPA B2B mandate with the cooperative (the same for its
        application, see ``coop.membership.application._coop_get_b2b_mandate``)."""
        self.ensure_one()
        return self.env["account.banking.mandate"]._coop_b2b_mandate_of(self.partner_id, self.company_id)

    def _coop_check_activation(self):
        """Art. 6.1: a valid SEPA B2B mandate is part of joining, unless the member pays
        by prepayments. A mandate signed online and awaiting the bank's confirmation is
        enough to start the plan (SPEC 2.1.3); the debits wait for its validation by staff."""
        checked = self.filtered(
            lambda m: not (
                m.coop_payment_mode == "direct_debit"
                and m.application_id.join_mandate_id.state == "draft"
                and m.application_id.join_mandate_id.coop_signed_on
            )
        )
        res = super(CoopMembership, checked)._coop_check_activation()
        for membership in checked:
            if membership.coop_payment_mode == "direct_debit" and not membership._coop_get_b2b_mandate():
                raise UserError(
                    self.env._(
                        "%s has no valid SEPA B2B direct debit mandate: record the signed mandate, or agree on "
                        "prepayments, before activating the membership.",
                        membership.partner_id.display_name,
                    )
                )
            if membership.coop_payment_mode == "prepayment" and membership.prepayment_amount < 0:
                raise UserError(self.env._("The agreed prepayment cannot be negative."))
        return res

    def _do_terminate(self, date, termination_type):
        """SPEC 7.4: the end of a registered membership settles what is open (the B share
        set off by its buy-back, the guarantee drawn, the final settlement): what a payment
        order not uploaded to the bank yet would collect or pay leaves the order first, or
        the member would pay twice. Once uploaded, the bank has it."""
        for membership in self.filtered("date_registered"):
            self.env["account.move.line"]._coop_take_out_at_contract_end(membership)
        return super()._do_terminate(date, termination_type)

    def _coop_on_terminate(self):
        """Art. 7.2 (a): at termination, settle all sums due and not disputed from the guarantee."""
        res = super()._coop_on_terminate()
        for membership in self:
            if (
                float_compare(membership._get_guarantee_paid(), 0.0, precision_rounding=membership.currency_id.rounding)
                > 0
            ):
                membership.guarantee_id._coop_draw(self.env["account.move"]._coop_due_invoices(membership))
        return res

    def action_confirm_join_mandate(self):
        """Replay entry point (``coop.membership.application.action_confirm_join_mandate``)."""
        return self.application_id.action_confirm_join_mandate()

    def action_view_trust_account(self):
        """The member's trust account (SPEC 4.2, art. 4.7), ``coop.trust.account`` (same id)."""
        return self.env["coop.trust.account"].browse(self.id)._get_records_action(name=self.env._("Trust account"))
