from odoo import fields, models


class CoopShareClass(models.Model):
    """Share classes (art. 2): A senior partners, B members (EUR 1.00), C cooperators."""

    _name = "coop.share.class"
    _description = "Share class"
    _order = "code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, size=2)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    nominal_value = fields.Monetary(required=True, default=1.0)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code, company_id)", "A share class code must be unique.")
