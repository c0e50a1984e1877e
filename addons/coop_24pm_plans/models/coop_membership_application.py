from odoo import api, models


class CoopMembershipApplication(models.Model):
    """The plan and commitment chosen with the application (SPEC 2.1.3): written on the
    e-contract, copied to the membership at its conclusion."""

    _inherit = "coop.membership.application"

    # plan_id, contribution_amount: the contract's terms (coop.membership.contract.mixin)

    @api.constrains("plan_id", "regulation_id")
    def _check_plan_regulation(self):
        for application in self.filtered("plan_id"):
            application.plan_id._coop_check_chosen_under(application.regulation_id)

    def _prepare_membership_vals(self):
        vals = super()._prepare_membership_vals()
        if self.plan_id:
            vals.update({"plan_id": self.plan_id.id, "contribution_amount": self.contribution_amount})
        return vals
