from odoo import models
from odoo.tools import format_amount


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _coop_credit_line_refusal(self, currency):
        """SPEC 7.5: the refusal of new requests and work while the company's risk exceeds its
        credit line (its credit limit, OCA ``account_financial_risk``), amounts in ``currency``;
        ``False`` when within it or without a credit line."""
        partner = self.commercial_partner_id.sudo()
        if not partner.credit_limit or not partner.risk_exception:
            return False
        return self.env._(
            "%(member)s has exceeded its credit line (%(risk)s for a limit of %(limit)s): no new request or work "
            "until the open amounts are paid.",
            member=partner.display_name,
            risk=format_amount(self.env, partner.risk_total, currency),
            limit=format_amount(self.env, partner.credit_limit, currency),
        )

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
