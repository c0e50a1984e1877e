from odoo import fields, models


class CoopRateObjection(models.Model):
    _name = "coop.rate.objection"
    _description = "Objection to a rate change"

    change_id = fields.Many2one("coop.rate.change", required=True, ondelete="cascade", index=True)
    membership_id = fields.Many2one("coop.membership", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text()
    objected_by_id = fields.Many2one("res.users", "Objected by", readonly=True)
    product_id = fields.Many2one(related="change_id.product_id", store=True)
    category_id = fields.Many2one(related="change_id.category_id", store=True)
    active = fields.Boolean(default=True, help="Archive when the objection is settled: the services resume.")

    _uniq = models.Constraint("UNIQUE(change_id, membership_id)", "A member objects once to a rate change.")
