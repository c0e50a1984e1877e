from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    coop_membership_id = fields.Many2one(
        "coop.membership", "Membership", index="btree_not_null", readonly=True, copy=False
    )
    coop_is_service_invoice = fields.Boolean(
        "Service invoice", readonly=True, copy=False, help="Timesheets, expenses and margin of a member (art. 2)."
    )
    coop_invoice_kind = fields.Selection(
        selection_add=[("insurance_deductible", "Insurance deductible (art. 5.5)")],
        ondelete={"insurance_deductible": "set null"},
    )

    def button_cancel(self):
        res = super().button_cancel()
        self.filtered(lambda m: m.coop_is_service_invoice and m.state == "cancel")._coop_release_billed_lines()
        return res

    def _coop_release_billed_lines(self):
        """A cancelled service invoice gives its timesheets and expenses back to the next one."""
        if not self:
            return
        internal = {"coop_billing_internal": True}
        lines = self.env["account.analytic.line"].sudo().search([("coop_invoice_line_id.move_id", "in", self.ids)])
        lines.with_context(**internal).write({"coop_invoice_line_id": False})
        expenses = self.env["coop.expense"].sudo().search([("invoice_line_id.move_id", "in", self.ids)])
        expenses.with_context(**internal).write({"invoice_line_id": False})
        items = self.env["coop.strategy.item"].sudo().search([("invoice_line_id.move_id", "in", self.ids)])
        items.write({"invoice_line_id": False})
        for move in self:
            move.message_post(
                body=self.env._(
                    "Cancelled: its timesheet lines and expenses are billable again on the next service invoice."
                )
            )
