from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date


class CoopDebitRejection(models.Model):
    """A direct debit of a member's invoice rejected by the bank (art. 6.4.1).

    Recording it reopens the invoice (the debit's payment is cancelled), charges the
    regulation's fee (EUR 15) and schedules a retry; after repeated rejections the
    member gets a notice to set up a new mandate or switch to prepayments, held by the
    rejection that triggered it (``mandate_notice_date``, ``mandate_notice_deadline``).
    """

    _name = "coop.debit.rejection"
    _description = "Rejected direct debit"
    _inherit = ["mail.thread", "coop.member.invoice.mixin"]
    _order = "date desc, id desc"

    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Char("Bank return reason", help="E.g. AM04 insufficient funds, MD01 no mandate.")
    fee_invoice_id = fields.Many2one("account.move", "Fee invoice", readonly=True)
    fee_amount = fields.Monetary(related="fee_invoice_id.amount_total", string="Fee")
    date_retry = fields.Date("Retry on", readonly=True)
    payment_return_id = fields.Many2one(
        "payment.return",
        "Bank return",
        readonly=True,
        index="btree_not_null",
        help="The bank's return (pain.002 / CAMT.054) that reopened the invoice.",
    )
    mandate_notice_date = fields.Date("Mandate notice sent on", readonly=True, copy=False, tracking=True)
    mandate_notice_deadline = fields.Date("New mandate or prepayment due by", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        rejections = super().create(vals_list)
        rejections._process()
        return rejections

    def _process(self):
        Move = self.env["account.move"]
        for rejection in self:
            invoice = rejection.invoice_id
            membership = rejection.membership_id
            if not membership:
                raise UserError(
                    self.env._("%s is not a member: no rejection fee applies.", invoice.partner_id.display_name)
                )
            regulation = membership.regulation_id
            # the bank took the money back: cancel the debit's payment so the invoice is due again
            # (a return imported from the bank's file already reopened it through OCA's return entry)
            payments = invoice._get_reconciled_payments().filtered(lambda p: p.payment_order_id)
            if rejection.payment_return_id:
                payments = payments.browse()
            for payment in payments:
                payment.action_draft()
                payment.action_cancel()
            fee = Move._coop_create_fee_invoice(
                invoice,
                [
                    {
                        "name": self.with_context(lang=invoice.partner_id.lang or self.env.lang).env._(
                            "Administrative fee for the rejected direct debit of %(inv)s (art. 6.4.1)", inv=invoice.name
                        ),
                        "price_unit": regulation.rejected_debit_fee,
                        "account": invoice.company_id._coop_get_debit_fee_account(),
                    }
                ],
                kind="rejection",
                date=rejection.date,
            )
            retry = fields.Date.add(rejection.date, days=regulation.rejected_debit_retry_days)
            rejection.write({"fee_invoice_id": fee.id, "date_retry": retry})
            invoice.coop_debit_retry_date = retry
            fee.coop_debit_retry_date = retry
            # SPEC 7.3: debits are a finance matter, sent to the finance agents
            member_env = invoice.with_context(lang=invoice.partner_id.lang or self.env.lang).env
            rejection.membership_id._coop_send_notice(
                "finance",
                right="finance",
                record=invoice,
                subject=member_env._("Direct debit of %s rejected", invoice.name),
                body=member_env._(
                    "Direct debit rejected (%(reason)s): a fee of %(fee)s is charged and the debit will be "
                    "presented again on %(date)s.",
                    reason=rejection.reason or "-",
                    fee=format_amount(member_env, fee.amount_total, fee.currency_id),
                    date=format_date(member_env, retry),
                ),
            )
        self._coop_check_repeated_rejections()

    def _coop_check_repeated_rejections(self):
        """After repeated rejections, a notice gives 10 days to set up a new mandate or
        switch to prepayments; the latest rejection holds it while it is in force."""
        for membership in self.membership_id:
            regulation = membership.regulation_id
            rejections = self.search([("membership_id", "=", membership.id)])
            if rejections.filtered("mandate_notice_date") or len(rejections) < regulation.rejected_debits_before_notice:
                continue
            rejection = max(self.filtered(lambda r, m=membership: r.membership_id == m), key=lambda r: r.id)
            today = fields.Date.context_today(self)
            # SPEC 7.3: the 10 days run from the notice's delivery (``_coop_notice_delivery_changed``)
            rejection.write({"mandate_notice_date": today, "mandate_notice_deadline": False})
            member_env = membership.with_context(lang=membership.partner_id.lang or self.env.lang).env
            membership._coop_send_notice(
                "mandate_notice",
                right="finance",
                subject=member_env._("Rejected direct debits: set up a new mandate or switch to prepayments"),
                body=member_env._(
                    "%(count)s direct debits of your invoices were rejected. Please set up a new SEPA B2B "
                    "mandate or agree on prepayments with us within %(days)s days of this message. Without it, "
                    "24PM may terminate the contract for serious fault and draw on the guarantee (art. 6.4.1).",
                    count=len(rejections),
                    days=regulation.mandate_notice_days,
                ),
                # posted to the member on its membership; the notice is about this rejection,
                # whose deadline its delivery starts (also when the e-mail leaves at once)
                about=rejection,
            )

    def _coop_notice_delivery_changed(self, notice):
        """SPEC 7.3: the days to set up a new mandate run from the notice's delivery."""
        self.ensure_one()
        if notice.kind == "mandate_notice" and self.mandate_notice_date:
            delivered = notice.state == "delivered" and notice.date_delivered
            self.mandate_notice_deadline = delivered and fields.Date.add(
                delivered.date(), days=self.membership_id.regulation_id.mandate_notice_days
            )

    def action_coop_mandate_renewed(self):
        """A new mandate or prepayments are set up: the notice is no longer in force."""
        self.write({"mandate_notice_date": False, "mandate_notice_deadline": False})
        return True
