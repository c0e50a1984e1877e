from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _coop_set_payment_mode(self, company, direct_debit):
        """The member's payment mode as OCA's banking flow reads it in ``company``: the
        customer payment mode its new invoices take (``account_payment_partner``) and its
        contracts' (``contract_payment_mode``): direct debit, or none."""
        self.ensure_one()
        mode = company._coop_get_direct_debit_mode() if direct_debit else self.env["account.payment.mode"]
        partner = self.sudo().with_company(company)
        if partner.customer_payment_mode_id != mode:
            partner.customer_payment_mode_id = mode
        contracts = (
            self.env["contract.contract"].sudo().search([("partner_id", "=", self.id), ("company_id", "=", company.id)])
        )
        contracts.filtered(lambda c: c.payment_mode_id != mode).payment_mode_id = mode
