from odoo import api, models

# What of a journal the Cooperative configuration check reads (journals are found by type,
# with their default account): a change of it clears the jobs' cached answer (res_company.py)
JOURNAL_FIELDS = frozenset({"type", "default_account_id", "company_id", "active"})


class AccountJournal(models.Model):
    _inherit = "account.journal"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._coop_configuration_changed()
        return super().create(vals_list)

    def write(self, vals):
        if JOURNAL_FIELDS & set(vals):
            self.env["res.company"]._coop_configuration_changed()
        return super().write(vals)

    def unlink(self):
        self.env["res.company"]._coop_configuration_changed()
        return super().unlink()
