from odoo import models


class ContractLine(models.Model):
    _inherit = "contract.line"

    def _prepare_invoice_line(self):
        """The prepayment line is invoiced on the advances account at the amount agreed
        with the member, without tax (art. 6.1)."""
        vals = super()._prepare_invoice_line()
        membership = self.contract_id.coop_prepayment_membership_id
        if vals and membership and not self.display_type:
            vals.update(membership._get_prepayment_account()._prepare_invoice_line_vals())
        return vals
