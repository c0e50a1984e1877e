from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _coop_configuration_issues(self):
        """Every active plan of the company has its contribution and service income accounts."""
        issues = super()._coop_configuration_issues()
        plans = self.env["coop.plan"].sudo().search([("company_id", "in", (False, self.id))])
        for plan in plans:
            for field_name in ("contribution_account_id", "service_account_id"):
                self._coop_check_config(issues, plan._coop_get_income_account, field_name, self)
        return issues
