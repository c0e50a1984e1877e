from odoo import api, models


class CoopServicePricing(models.AbstractModel):
    """What the services billed to a member cost it (no record: the pricing functions of
    the member's services). This addon prices the strategist hours beyond the plan;
    ``coop_24pm_timesheet_billing`` extends it with the pricing and the due rule of the
    service invoice (its billing engine)."""

    _name = "coop.service.pricing"
    _description = "Pricing of the services billed to members"

    @api.model
    def _price_strategist_hours(self, membership, hours, on_date):
        """What ``hours`` of strategist beyond the plan cost ``membership`` on ``on_date``,
        VAT excluded: the strategist's price plus the plan's margin (the billing addon
        prices them with the group rate, as it invoices them)."""
        membership.ensure_one()
        product = self.env.ref("coop_24pm_plans.product_strategist_hour")
        margin = membership._get_plan_margin(on_date) or 0.0
        return membership.currency_id.round(hours * product.lst_price * (1.0 + margin))
