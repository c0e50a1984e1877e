from odoo.http import request

from odoo.addons.coop_24pm_membership.controllers.join import CoopJoinPortal


class CoopJoinPlanPortal(CoopJoinPortal):
    def _coop_join_values(self, **kw):
        values = super()._coop_join_values(**kw)
        values["join_plans"] = request.env["coop.membership.application"]._coop_join_plans()
        return values

    def _coop_join_apply_vals(self, kw):
        vals = super()._coop_join_apply_vals(kw)
        vals.update({"plan_id": kw.get("plan_id"), "commitment": kw.get("commitment") or "monthly"})
        return vals
