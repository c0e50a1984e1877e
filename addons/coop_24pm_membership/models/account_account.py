from odoo import api, models

# What of an account the Cooperative configuration check reads (the chart's default accounts
# are found by code and type): a change of it clears the jobs' cached answer (res_company.py)
ACCOUNT_FIELDS = frozenset({"code", "account_type", "company_ids", "active"})


class AccountAccount(models.Model):
    _inherit = "account.account"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._coop_configuration_changed()
        return super().create(vals_list)

    def write(self, vals):
        if ACCOUNT_FIELDS & set(vals):
            self.env["res.company"]._coop_configuration_changed()
        return super().write(vals)

    def unlink(self):
        self.env["res.company"]._coop_configuration_changed()
        return super().unlink()
