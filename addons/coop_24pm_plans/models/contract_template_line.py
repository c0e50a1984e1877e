from odoo import fields, models


class ContractTemplateLine(models.Model):
    """The kind of a cooperative line, on the plan's template and, by inheritance, on the
    member's contract lines (``contract.line`` inherits ``contract.template.line``)."""

    _inherit = "contract.template.line"

    coop_kind = fields.Selection(
        [("plan", "Plan contribution"), ("annual_fee", "Annual membership fee")], "Cooperative line", copy=False
    )
