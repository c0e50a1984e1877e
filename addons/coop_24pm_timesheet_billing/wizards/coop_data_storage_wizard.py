from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.coop_billing_rules import data_storage_share


class CoopDataStorageWizard(models.TransientModel):
    """Staff: the data storage of one member for a month (art. 5.6): its share EOM / CTS x
    CT24PM under ROI 2021, the cost passed on without margin under ROI 2023 (the member's
    regulation decides)."""

    _name = "coop.data.storage.wizard"
    _description = "Member data storage share"

    membership_id = fields.Many2one("coop.membership", required=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    month = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(day=1))
    occupied = fields.Float("Space of the member's data (GB)", digits=(16, 3), help="EOM in the regulation.")
    total_occupied = fields.Float("Storage used by all members (GB)", digits=(16, 3), help="CTS in the regulation.")
    total_cost = fields.Monetary("Storage cost borne by 24PM", help="CT24PM in the regulation, for the month.")
    storage_at_cost = fields.Boolean(related="membership_id.regulation_id.storage_at_cost")
    cost = fields.Monetary("Cost of storing the member's data", help="ROI 2023: passed on at cost, without margin.")
    amount = fields.Monetary("Amount billed", compute="_compute_amount")

    @api.depends("occupied", "total_occupied", "total_cost", "cost", "storage_at_cost")
    def _compute_amount(self):
        for wizard in self:
            if wizard.storage_at_cost:
                wizard.amount = wizard.currency_id.round(max(wizard.cost, 0.0)) if wizard.currency_id else 0.0
                continue
            try:
                wizard.amount = data_storage_share(
                    wizard.occupied, wizard.total_occupied, wizard.total_cost, wizard.currency_id.rounding or 0.01
                )
            except ValueError:
                wizard.amount = 0.0

    def action_create_expense(self):
        self.ensure_one()
        if self.storage_at_cost:
            expense = self.env["coop.expense"]._coop_create_data_storage_at_cost(
                self.month, {self.membership_id: self.cost}
            )
        else:
            expense = self.env["coop.expense"]._coop_create_data_storage_expenses(
                self.month, {self.membership_id: self.occupied}, self.total_cost, self.total_occupied
            )
        if not expense:
            raise UserError(self.env._("The share is zero: nothing to bill."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.expense",
            "res_id": expense.id,
            "view_mode": "form",
        }
