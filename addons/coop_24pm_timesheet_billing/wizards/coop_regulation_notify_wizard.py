from odoo import fields, models


class CoopRegulationNotifyWizard(models.TransientModel):
    _inherit = "coop.regulation.notify.wizard"

    product_ids = fields.Many2many(
        "product.product",
        string="Services concerned",
        domain=[("type", "=", "service")],
        default=lambda self: self.env["coop.regulation.change"]._coop_default_service_products(),
        help="Art. 11.1: a member's contest suspends these services for it until the contest ends.",
    )

    def action_notify(self):
        self.ensure_one()
        return super(
            CoopRegulationNotifyWizard, self.with_context(coop_regulation_product_ids=self.product_ids.ids)
        ).action_notify()
