from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, format_amount

#: the mediation service of ROI art. 11.3.2
DEFAULT_MEDIATOR = "Brussels Business Mediation Center (bMediation)"


class CoopInvoiceDispute(models.Model):
    """A dispute on funded work goes to mediation (ROI art. 11.3.2: the Brussels Business
    Mediation Center); the mediator's decision releases the disputed funded amount to
    24PM or refunds it to the member, within the amount funded."""

    _inherit = "coop.invoice.dispute"

    coop_on_funded_work = fields.Boolean("On funded work", compute="_compute_coop_on_funded_work")
    mediation_state = fields.Selection(
        [("none", "No mediation"), ("ongoing", "In mediation"), ("decided", "Decided")],
        "Mediation (art. 11.3.2)",
        default="none",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    mediator = fields.Char(tracking=True, copy=False)
    mediation_date_start = fields.Date("Mediation started on", tracking=True, copy=False)
    mediation_date_decision = fields.Date("Mediator's decision on", tracking=True, copy=False)
    mediation_decision = fields.Text("Mediator's decision", tracking=True, copy=False)
    mediation_release_amount = fields.Monetary("Released to 24PM", tracking=True, copy=False)
    mediation_refund_amount = fields.Monetary("Refunded to the member", tracking=True, copy=False)
    mediation_move_ids = fields.Many2many(
        "account.move", "coop_dispute_mediation_move_rel", string="Entries of the decision", readonly=True, copy=False
    )

    @api.depends("membership_id.coop_funded_work", "membership_id.coop_payment_mode", "invoice_id")
    def _compute_coop_on_funded_work(self):
        for dispute in self:
            dispute.coop_on_funded_work = bool(
                dispute.membership_id
                and dispute.membership_id._coop_is_funded()
                and dispute.invoice_id.coop_is_service_invoice
            )

    def _coop_check_funded_dispute(self):
        for dispute in self:
            if not dispute.coop_on_funded_work:
                raise UserError(
                    self.env._(
                        "%s is not on funded work (risk 0): the mediation of art. 11.3.2 rules here only on "
                        "funded amounts. Answer it with reasons (art. 6.3).",
                        dispute.display_name,
                    )
                )

    def action_coop_start_mediation(self, mediator=None, date=None):
        """Art. 11.3.2: the parties first go to mediation (in French)."""
        self._coop_check_funded_dispute()
        if self.filtered(lambda d: d.mediation_state != "none" or d.state == "accepted"):
            raise UserError(self.env._("Only a dispute not settled and not in mediation yet can go to mediation."))
        for dispute in self:
            dispute.write(
                {
                    "mediation_state": "ongoing",
                    "mediator": mediator or dispute.mediator or DEFAULT_MEDIATOR,
                    "mediation_date_start": date or dispute.mediation_date_start or fields.Date.context_today(self),
                }
            )
        return True

    def action_coop_apply_mediation_decision(self):
        """The staff's button: the decision as entered on the dispute."""
        self.ensure_one()
        self.action_coop_mediation_decide(
            self.mediation_release_amount,
            self.mediation_refund_amount,
            self.mediation_decision,
            self.mediation_date_decision,
        )
        return True

    def _coop_dispute_persists(self):
        """A dispute the mediator decided is settled (art. 11.3.2)."""
        return super()._coop_dispute_persists() and self.mediation_state != "decided"

    def action_coop_mediation_decide(self, release_amount, refund_amount, decision, date=None):
        """Record the mediator's decision on the disputed amount: ``release_amount`` goes to
        24PM (460000 to the receivable, settling the invoice), ``refund_amount`` back to the
        member (a credit note of the invoice and 460000 to the member's payable). Together
        they are the disputed amount, within the funded balance."""
        self.ensure_one()
        self._coop_check_funded_dispute()
        if self.mediation_state != "ongoing":
            raise UserError(self.env._("Record the start of the mediation (art. 11.3.2) before its decision."))
        if not (decision or "").strip():
            raise UserError(self.env._("Give the mediator's decision."))
        membership = self.membership_id.sudo()
        currency = self.currency_id
        rounding = currency.rounding
        release_amount = currency.round(release_amount or 0.0)
        refund_amount = currency.round(refund_amount or 0.0)
        if (
            float_compare(release_amount, 0.0, precision_rounding=rounding) < 0
            or float_compare(refund_amount, 0.0, precision_rounding=rounding) < 0
        ):
            raise UserError(self.env._("The amounts of the mediator's decision cannot be negative."))
        total = currency.round(release_amount + refund_amount)
        if float_compare(total, self.amount, precision_rounding=rounding) != 0:
            raise UserError(
                self.env._(
                    "The mediator decides on the whole disputed amount (%(disputed)s): %(released)s released and "
                    "%(refunded)s refunded make %(total)s.",
                    disputed=format_amount(self.env, self.amount, currency),
                    released=format_amount(self.env, release_amount, currency),
                    refunded=format_amount(self.env, refund_amount, currency),
                    total=format_amount(self.env, total, currency),
                )
            )
        funded = membership._get_prepayment_account()._get_available()
        if float_compare(total, funded, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "Art. 11.3.2 and risk 0: the mediation rules only on the amount funded (%(funded)s), not on "
                    "%(total)s.",
                    funded=format_amount(self.env, funded, currency),
                    total=format_amount(self.env, total, currency),
                )
            )
        # the decision settles the invoice (released funds, a credit note): not while a payment order
        # not uploaded yet collects it
        self.invoice_id.sudo().line_ids._coop_check_may_be_settled_otherwise()
        # the dispute is settled by the decision: its amount is no longer held out of the invoice
        self.write(
            {
                "state": "accepted" if not float_is_zero(refund_amount, precision_rounding=rounding) else "rejected",
                "answer": decision,
                "date_answer": date or fields.Date.context_today(self),
                "mediation_state": "decided",
                "mediation_decision": decision,
                "mediation_date_decision": date or fields.Date.context_today(self),
                "mediation_release_amount": release_amount,
                "mediation_refund_amount": refund_amount,
            }
        )
        invoice = self.invoice_id.sudo()
        moves = self.env["account.move"]
        if not float_is_zero(refund_amount, precision_rounding=rounding):
            credit_note = self._coop_mediation_credit_note(refund_amount)
            payable = membership.partner_id.with_company(membership.company_id).property_account_payable_id
            moves |= credit_note
            moves |= membership._get_prepayment_account()._transfer_move(
                refund_amount,
                self.env._("Funded amount refunded after mediation on %s (art. 11.3.2)", invoice.name),
                payable,
            )
        if not float_is_zero(release_amount, precision_rounding=rounding):
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            moves |= membership._get_prepayment_account()._transfer_move(
                release_amount,
                self.env._("Funded amount released after mediation on %s (art. 11.3.2)", invoice.name),
                receivable[:1].account_id,
                receivable,
            )
        self.mediation_move_ids = [Command.link(move.id) for move in moves]
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return moves

    def _coop_mediation_credit_note(self, amount):
        """A posted credit note of ``amount`` (VAT included) on the disputed invoice, with
        its income account and taxes, reconciled with it."""
        invoice = self.invoice_id.sudo()
        currency = invoice.currency_id
        line = invoice.invoice_line_ids.filtered(lambda rec: rec.display_type == "product")[:1]
        ratio = invoice.amount_untaxed / invoice.amount_total if invoice.amount_total else 1.0
        untaxed = currency.round(amount * ratio)
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "ref": self.env._("Mediation on %s (art. 11.3.2)", invoice.name),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._("Refund decided by the mediator (art. 11.3.2)"),
                                "quantity": 1,
                                "price_unit": untaxed,
                                "account_id": line.account_id.id,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                            }
                        )
                    ],
                }
            )
        )
        # the VAT rounds the total: the untaxed amount that gives the decision to the cent
        line_note = credit_note.invoice_line_ids
        totals = set()
        for step in (0.0, 0.01, -0.01, 0.02, -0.02):
            line_note.price_unit = currency.round(untaxed + step)
            if float_compare(credit_note.amount_total, amount, precision_rounding=currency.rounding) == 0:
                break
            totals.add(credit_note.amount_total)
        else:
            below = max((t for t in totals if t < amount), default=0.0)
            above = min((t for t in totals if t > amount), default=0.0)
            raise UserError(
                self.env._(
                    "With its VAT, no credit note amounts to %(amount)s: the nearest are %(below)s and %(above)s. "
                    "Record the mediator's decision with one of them.",
                    amount=format_amount(self.env, amount, currency),
                    below=format_amount(self.env, below, currency),
                    above=format_amount(self.env, above, currency),
                )
            )
        credit_note._coop_post()
        lines = (invoice.line_ids | credit_note.line_ids).filtered(
            lambda rec: rec.account_id.account_type == "asset_receivable" and not rec.reconciled
        )
        lines.reconcile()
        return credit_note
