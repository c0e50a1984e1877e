from odoo import fields, models


class CoopNotice(models.Model):
    _inherit = "coop.notice"

    kind = fields.Selection(selection_add=[("transfer", "Transfer contract")], ondelete={"transfer": "cascade"})
