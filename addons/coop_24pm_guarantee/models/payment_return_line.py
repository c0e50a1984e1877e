from odoo import models


class PaymentReturnLine(models.Model):
    _inherit = "payment.return.line"

    def _find_match(self):
        """Our pain.008 files carry OCA's payment id as EndToEndId (one transaction per
        payment of an uploaded order): a return names it back."""
        for line in self.filtered(lambda x: not x.move_line_ids and x.reference and x.reference.isdigit()):
            payment = self.env["account.payment"].browse(int(line.reference)).exists()
            if not payment or payment.payment_order_id.state != "uploaded" or payment.state == "canceled":
                continue
            receivables = payment.move_id.line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable" and aml.reconciled
            )
            if receivables:
                line.move_line_ids = receivables
                line.partner_id = payment.partner_id.commercial_partner_id
                if not line.concept:
                    line.concept = self.env._(
                        "Direct debit %s", ", ".join(payment.payment_line_ids.move_line_id.move_id.mapped("name"))
                    )
        return super()._find_match()
