from odoo import models
from odoo.exceptions import UserError


class CoopMembershipApplicationJoinPlan(models.Model):
    """The online journey's plan step (SPEC 2.1.3): the company picks a plan of the
    current regulation and its commitment before the e-contract is generated."""

    _inherit = "coop.membership.application"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_join_steps(self):
        steps = super()._coop_join_steps()
        index = next((i for i, step in enumerate(steps) if step["key"] == "contract"), len(steps))
        steps.insert(
            index,
            {
                "key": "plan",
                "label": self.env._("Plan and commitment"),
                "done": bool(self) and bool(self.plan_id),
            },
        )
        return steps

    def _coop_join_plans(self):
        """Plans a new member can choose: those of the regulation in force for new members."""
        regulation = self.env["coop.regulation"].sudo()._get_current()
        return self.env["coop.plan"].sudo().search([("regulation_id", "=", regulation.id)], order="rank, id")

    def _coop_join_apply(self, user, vals=None):
        vals = dict(vals or {})
        if "plan_id" in vals or "commitment" in vals:
            plan = self.env["coop.plan"].sudo().browse(int(vals.get("plan_id") or 0)).exists()
            if not plan or plan not in self._coop_join_plans():
                raise UserError(self.env._("Choose one of the plans offered to new members."))
            commitment = vals.get("commitment") or "monthly"
            if commitment not in ("monthly", "annual"):
                raise UserError(self.env._("Choose a monthly or an annual commitment."))
            vals.update({"plan_id": plan.id, "commitment": commitment, "regulation_id": plan.regulation_id.id})
        return super()._coop_join_apply(user, vals)
