from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    coop_category_id = fields.Many2one("coop.collaborator.category", "Collaborator category", tracking=True)
    coop_is_external = fields.Boolean(related="coop_category_id.is_external")
    coop_purchase_price = fields.Monetary(
        "Hourly purchase price",
        currency_field="currency_id",
        help="Subcontractors and interims are billed at this price plus the member's margin (art. 8.3.1).",
    )
