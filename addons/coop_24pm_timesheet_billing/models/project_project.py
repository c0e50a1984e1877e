from odoo import api, fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    coop_membership_id = fields.Many2one(
        "coop.membership",
        "Membership",
        index="btree_not_null",
        help="The member for whom the work of this project is billed.",
    )
    coop_product_id = fields.Many2one("product.product", "Default service", domain=[("type", "=", "service")])

    @api.model
    def _coop_projects_of(self, membership):
        """The projects whose work is billed to ``membership`` (its smart button)."""
        return self.search([("coop_membership_id", "=", membership.id)]) if membership else self.browse()

    def write(self, vals):
        res = super().write(vals)
        if {"coop_membership_id", "coop_product_id"}.intersection(vals):
            # the uninvoiced time of these projects is priced for their member and service
            self.env["account.analytic.line"].sudo().search(
                [("project_id", "in", self.ids), ("coop_invoice_line_id", "=", False)]
            )._coop_reprice()
        return res
