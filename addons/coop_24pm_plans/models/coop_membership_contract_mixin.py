from odoo import api, fields, models


class CoopMembershipContractMixin(models.AbstractModel):
    """The plan and its monthly contribution are terms of the contract (SPEC 2.1.3): chosen
    with the application, written on the e-contract, the membership's from its conclusion."""

    _inherit = "coop.membership.contract.mixin"

    plan_id = fields.Many2one("coop.plan", "Plan", tracking=True, domain="[('regulation_id', '=', regulation_id)]")
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
        for contract in self:
            contract.contribution_amount = contract.plan_id.monthly_fee

    @api.constrains("contribution_amount")
    def _check_contribution_amount(self):
        for contract in self:
            self.env["coop.plan"]._coop_check_contribution(contract.currency_id, contract.contribution_amount)
