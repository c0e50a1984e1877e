from odoo import fields, models


class CoopFundedReleaseWizard(models.TransientModel):
    _name = "coop.funded.release.wizard"
    _description = "Release of a funded amount"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    funded = fields.Monetary(related="membership_id.coop_funded_balance", string="Funded and held")
    amount = fields.Monetary("Amount released", required=True)

    def action_release(self):
        self.ensure_one()
        self.membership_id.action_coop_release_funded(self.amount)
        return {"type": "ir.actions.act_window_close"}
