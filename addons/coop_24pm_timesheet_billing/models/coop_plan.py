from odoo import api, models


class CoopPlan(models.Model):
    """A plan created, renamed or deleted gets or loses its rows in the management report."""

    _inherit = "coop.plan"

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        self.env["mis.report"]._coop_sync_management_report()
        return plans

    def write(self, vals):
        res = super().write(vals)
        if {"name", "regulation_id", "rank"}.intersection(vals):
            self.env["mis.report"]._coop_sync_management_report()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["mis.report"]._coop_sync_management_report()
        return res
