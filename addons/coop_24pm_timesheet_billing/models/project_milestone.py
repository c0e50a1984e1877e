from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round


class ProjectMilestone(models.Model):
    _inherit = "project.milestone"

    coop_invoice_id = fields.Many2one(
        "account.move",
        "Package invoice",
        readonly=True,
        copy=False,
        help="Art. 8.4: the invoice of the fixed-price package issued when this milestone was accepted.",
    )

    @api.constrains("sale_line_id", "quantity_percentage")
    def _check_coop_package_percentages(self):
        """Art. 8.4: the milestones of a member's fixed-price package share its price:
        together they never invoice more than 100 % of it."""
        # a member's package; Odoo's own milestone sales to other customers keep Odoo's rules
        lines = self.sale_line_id.filtered(
            lambda line: line._coop_is_package() and line.order_id.partner_id.commercial_partner_id.coop_membership_id
        )
        if not lines:
            return
        totals = dict(
            self.env["project.milestone"]._read_group(
                [("sale_line_id", "in", lines.ids)], ["sale_line_id"], ["quantity_percentage:sum"]
            )
        )
        for line in lines:
            total = totals.get(line, 0.0)
            if float_compare(total, 1.0, precision_digits=4) > 0:
                raise ValidationError(
                    self.env._(
                        "Art. 8.4: the milestones of the fixed-price package %(package)s total %(total)s %%; "
                        "together they may invoice at most 100 %% of its price.",
                        package=line.display_name,
                        total=float_round(total * 100, precision_digits=2),
                    )
                )

    def write(self, vals):
        accepted = self.browse()
        if vals.get("is_reached"):
            accepted = self.filtered(lambda m: not m.is_reached and m.sale_line_id._coop_is_package())
        if "is_reached" in vals and not vals["is_reached"]:
            invoiced = self.filtered("coop_invoice_id")
            if invoiced:
                raise UserError(
                    self.env._(
                        "Art. 8.4: the milestone %s of a fixed-price package is accepted and invoiced; credit "
                        "its invoice instead of reopening it.",
                        invoiced[0].name,
                    )
                )
        res = super().write(vals)
        accepted._coop_invoice_package()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        milestones.filtered(lambda m: m.is_reached and m.sale_line_id._coop_is_package())._coop_invoice_package()
        return milestones

    def _coop_invoice_package(self):
        """Art. 8.4: accepting a milestone of a fixed-price package invoices its share of
        the price at once (Odoo's invoicing of the sales order: the delivered quantity of a
        milestone line is the share of the milestones reached), posted like every invoice
        of the suite."""
        for sale_order, milestones in self.grouped(lambda m: m.sale_line_id.order_id).items():
            order = sale_order.sudo()
            if order.state != "sale":
                raise UserError(
                    self.env._("Art. 8.4: confirm the package order %s before accepting its milestones.", order.name)
                )
            if order.invoice_status != "to invoice":
                continue
            moves = order._create_invoices()
            membership = order.partner_id.commercial_partner_id.coop_membership_id
            if membership:
                moves.write({"coop_membership_id": membership.id})
            moves._coop_post()
            self.env["coop.billing.run.line"]._send_invoices(moves)
            milestones.sudo().write({"coop_invoice_id": moves[:1].id})
