from odoo import api, fields, models


class CoopMembershipApplication(models.Model):
    """The plan and commitment chosen with the application (SPEC 2.1.3): written on the
    e-contract, copied to the membership at its conclusion."""

    _inherit = "coop.membership.application"

    plan_id = fields.Many2one(
        "coop.plan",
        "Plan",
        tracking=True,
        domain="[('regulation_id', '=', regulation_id)]",
    )
    contribution_amount = fields.Monetary(
        "Monthly contribution",
        compute="_compute_contribution_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="Amount written on the contract (default from the plan); annual commitments pay 10 months for 12.",
    )

    @api.depends("plan_id")
    def _compute_contribution_amount(self):
        for application in self:
            application.contribution_amount = application.plan_id.monthly_fee

    @api.constrains("plan_id", "regulation_id")
    def _check_plan_regulation(self):
        for application in self.filtered("plan_id"):
            application.plan_id._coop_check_chosen_under(application.regulation_id)

    @api.constrains("contribution_amount")
    def _check_contribution_amount(self):
        for application in self:
            self.env["coop.plan"]._coop_check_contribution(application.currency_id, application.contribution_amount)

    def _prepare_membership_vals(self):
        vals = super()._prepare_membership_vals()
        if self.plan_id:
            vals.update({"plan_id": self.plan_id.id, "contribution_amount": self.contribution_amount})
        return vals
