from odoo import fields, models


class CoopRegulation(models.Model):
    _inherit = "coop.regulation"

    upgrade_advice_months = fields.Integer(
        "Upgrade advice over (months)",
        required=True,
        default=3,
        help="SPEC 3.3: the window of billed consumption the advice to upgrade the plan looks at.",
    )
