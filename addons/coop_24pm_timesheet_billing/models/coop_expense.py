from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .coop_billing_rules import round_money

EXPENSE_TYPES = [
    ("material", "Materials (purchase price + margin)"),
    ("page", "Copies and typed letters (per page)"),
    ("km", "Travel (per km)"),
    ("storage_media", "File storage media (per month)"),
    ("data_storage", "Member data storage"),
    ("tax", "Taxes re-billed"),
]


class CoopExpense(models.Model):
    """Art. 5.7 (and 5.4, 5.6): expenses re-billed to the member on its service invoice."""

    _name = "coop.expense"
    _description = "Member expense"
    _order = "date desc, id desc"

    name = fields.Char("Description", required=True)
    membership_id = fields.Many2one("coop.membership", required=True, index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    expense_type = fields.Selection(EXPENSE_TYPES, "Type", required=True, default="material")
    quantity = fields.Float(required=True, default=1.0, help="Pages, km, months of storage, or units of material.")
    unit_cost = fields.Monetary(
        "Purchase price", help="Purchase price of a material or of a storage medium, or the cost passed on."
    )
    price_unit = fields.Monetary("Unit price billed", compute="_compute_amount", store=True)
    margin = fields.Float("Commercial margin", compute="_compute_amount", store=True, digits=(5, 4))
    amount = fields.Monetary("Billable amount", compute="_compute_amount", store=True)
    invoice_line_id = fields.Many2one(
        "account.move.line", copy=False, readonly=True, index="btree_not_null", ondelete="set null"
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Service invoice")

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "An expense quantity must be positive.")
    _coop_uninvoiced_idx = models.Index("(membership_id) WHERE invoice_line_id IS NULL")

    @api.depends("expense_type", "quantity", "unit_cost", "date", "membership_id")
    def _compute_amount(self):
        for expense in self:
            if expense.invoice_line_id:
                continue
            regulation = expense.membership_id.regulation_id
            rounding = expense.currency_id.rounding or 0.01
            margin = 0.0
            kind = expense.expense_type
            if kind == "page":
                price = regulation.expense_page_rate
            elif kind == "km":
                price = regulation.expense_km_rate
            elif kind == "storage_media":
                price = round_money(expense.unit_cost / (regulation.storage_media_months or 36), rounding)
            elif kind == "material":
                price = expense.unit_cost
                margin = expense.membership_id._get_plan_margin(expense.date) or 0.0 if expense.membership_id else 0.0
            else:  # data storage (2023: at cost, without margin; 2021: the computed share) and taxes
                price = expense.unit_cost
            expense.price_unit = price
            expense.margin = margin
            expense.amount = round_money(expense.quantity * price * (1.0 + margin), rounding)

    def write(self, vals):
        if self.filtered("invoice_line_id") and not self.env.context.get("coop_billing_internal"):
            raise UserError(self.env._("An invoiced expense can no longer be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered("invoice_line_id"):
            raise UserError(self.env._("An invoiced expense cannot be deleted."))

    @api.model
    def _coop_billable_domain(self, memberships=None):
        domain = Domain("invoice_line_id", "=", False) & Domain("amount", ">", 0)
        if memberships is not None:
            domain &= Domain("membership_id", "in", memberships.ids)
        return domain
