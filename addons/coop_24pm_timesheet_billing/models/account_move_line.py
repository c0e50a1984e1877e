from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    coop_line_kind = fields.Selection(
        selection_add=[
            ("service", "Services"),
            ("expense", "Expenses re-billed"),
            ("extra", "Extra strategist services"),
            ("margin", "Commercial margin"),
        ],
        ondelete={"service": "set null", "expense": "set null", "extra": "set null", "margin": "set null"},
    )
