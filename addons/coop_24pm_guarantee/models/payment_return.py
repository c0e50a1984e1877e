from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class PaymentReturn(models.Model):
    """SPEC 7.2: a direct debit returned by the bank (pain.002 / CAMT.054 file imported with
    OCA ``account_payment_return_import_iso20022``, or a return entered by hand) reopens the
    invoices through OCA's return entry, then our rules follow: the EUR 15 fee, the retry
    and, when it persists, the notice (art. 6.4.1, ``coop.debit.rejection``)."""

    _inherit = "payment.return"

    def _coop_check_lines(self):
        """Refuse, changing nothing, a return whose line matches no collected debit or
        another amount than the debit collected, naming the line."""
        for payment_return in self:
            for line in payment_return.line_ids:
                label = line.reference or line.concept or line.partner_name or str(line.id)
                currency = payment_return.company_id.currency_id
                if not line.move_line_ids:
                    raise UserError(
                        self.env._(
                            "Return line %(line)s (%(amount)s) matches no direct debit collected by 24PM: "
                            "nothing was changed.",
                            line=label,
                            amount=format_amount(self.env, line.amount, currency),
                        )
                    )
                collected = -sum(line.move_line_ids.mapped("balance"))
                if currency.compare_amounts(collected, line.amount) != 0:
                    raise UserError(
                        self.env._(
                            "Return line %(line)s is for %(amount)s but the debit collected was %(collected)s: "
                            "nothing was changed.",
                            line=label,
                            amount=format_amount(self.env, line.amount, currency),
                            collected=format_amount(self.env, collected, currency),
                        )
                    )

    def action_confirm(self):
        self._coop_check_lines()
        returned = {}
        for line in self.line_ids:
            invoices = line.move_line_ids.matched_debit_ids.debit_move_id.move_id.filtered(
                lambda move: move.move_type == "out_invoice"
            )
            for invoice in invoices:
                returned.setdefault(invoice, line)
        res = super().action_confirm()
        invoices = self.env["account.move"].concat(*returned)
        members = self.env["coop.membership"]._get_latest_by_partner(invoices.commercial_partner_id)
        vals_list = [
            {
                "invoice_id": invoice.id,
                "date": self.date,
                "reason": line.reason_id.code or line.reason_additional_information or False,
                "payment_return_id": self.id,
            }
            for invoice, line in returned.items()
            if invoice.commercial_partner_id.id in members
        ]
        if vals_list:
            self.env["coop.debit.rejection"].create(vals_list)
        return res
