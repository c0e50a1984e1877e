from odoo import fields, models

from .coop_plan_rules import annual_price


class CoopRegulation(models.Model):
    _inherit = "coop.regulation"

    upgrade_advice_months = fields.Integer(
        "Upgrade advice over (months)",
        required=True,
        default=3,
        help="SPEC 3.3: the window of billed consumption the advice to upgrade the plan looks at.",
    )

    def _coop_period_price(self, monthly_fee, commitment):
        """Price of one billing period as the contract states it: a month, or 10 months
        for an annual commitment (art. 4.4.2)."""
        self.ensure_one()
        if commitment == "annual":
            return annual_price(monthly_fee, self.annual_discount_months)
        return monthly_fee

    def write(self, vals):
        res = super().write(vals)
        if "annual_fee_amount" in vals:
            # the annual membership fee line of the plans' contract templates
            self.env["coop.plan"].with_context(active_test=False).search(
                [("regulation_id", "in", self.ids)]
            )._coop_sync_contract_template()
        return res
