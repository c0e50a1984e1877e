from odoo import api, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_check_funded(self):
        memberships = self.sudo().filtered(lambda line: line.project_id and not line.coop_is_package).coop_membership_id
        funded = memberships.filtered(lambda m: m._coop_is_funded())
        funded._get_prepayment_account()._coop_check_funded_work(self.env._("This time"))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._coop_check_funded()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if self.WORK_FIELDS.intersection(vals) and not self.env.context.get("coop_billing_internal"):
            self._coop_check_funded()
        return res
