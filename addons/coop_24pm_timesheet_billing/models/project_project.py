from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    coop_membership_id = fields.Many2one(
        "coop.membership",
        "Membership",
        index="btree_not_null",
        help="The member for whom the work of this project is billed.",
    )
    coop_product_id = fields.Many2one("product.product", "Default service", domain=[("type", "=", "service")])
