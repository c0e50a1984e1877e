from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    coop_plan_id = fields.Many2one(
        "coop.plan",
        "Support plan",
        index="btree_not_null",
        copy=True,
        readonly=True,
        help="Plan of the member this income comes from (contributions, and services and margin per plan): "
        "the cooperative management report sums it per plan.",
    )
    coop_line_kind = fields.Selection(
        [("contribution", "Plan contribution")],
        "Cooperative income",
        copy=True,
        readonly=True,
        index="btree_not_null",
    )
