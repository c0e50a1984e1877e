from odoo import api, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    @api.model
    def _get_tax_totals_summary(self, base_lines, currency, company, cash_rounding=None):
        """Issue 22: "Untaxed Amount" on the invoices, their PDF and the portal is written by
        account in Python and translated from account's own catalogues only (a module cannot
        add to another module's code translations, see odoo.tools.translate.CodeTranslations);
        Odoo's source here ships none: the suite words it in its catalogues."""
        summary = super()._get_tax_totals_summary(base_lines, currency, company, cash_rounding=cash_rounding)
        for subtotal in summary.get("subtotals", []):
            if subtotal.get("name") == "Untaxed Amount":
                subtotal["name"] = self.env._("Untaxed Amount")
        return summary
