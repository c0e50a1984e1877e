from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _prepare_payment_line_vals(self, payment_order):
        """Art. 6.3: an amount under open dispute is never collected. Capped where OCA builds
        every payment line, so the debit job and the "Add to payment order" button agree.

        The invoice's undisputed residual is spread over its receivable lines by maturity."""
        vals = super()._prepare_payment_line_vals(payment_order)
        move = self.move_id
        if payment_order.payment_type != "inbound" or move.move_type != "out_invoice" or not move.coop_disputed_amount:
            return vals
        receivables = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        ).sorted(lambda line: (line.date_maturity or line.date, line.id))
        remaining = move._coop_get_undisputed_residual()
        for line in receivables:
            if line == self:
                break
            remaining = max(move.currency_id.round(remaining - line.amount_residual_currency), 0.0)
        vals["amount_currency"] = min(vals["amount_currency"], remaining)
        return vals

    def create_payment_line_from_move_line(self, payment_order):
        """Skip a line wholly under dispute rather than put a zero amount in the order, and
        the documents the member's state does not allow to collect (SPEC 7.4)."""
        lines = self.browse()
        for mline in self:
            if payment_order.payment_type == "inbound" and not mline.move_id._coop_may_be_debited():
                continue
            vals = mline._prepare_payment_line_vals(payment_order)
            if mline.move_id.currency_id.compare_amounts(vals["amount_currency"], 0.0) > 0:
                lines |= mline
        return super(AccountMoveLine, lines).create_payment_line_from_move_line(payment_order)
