from odoo import api, fields, models


class CoopFundedReleaseWizard(models.TransientModel):
    _name = "coop.funded.release.wizard"
    _description = "Release of a funded amount"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    funded = fields.Monetary("Funded and held", compute="_compute_funded")
    amount = fields.Monetary("Amount released", required=True)

    @api.depends("membership_id")
    def _compute_funded(self):
        for wizard in self:
            wizard.funded = wizard.membership_id._get_prepayment_account().funded_balance

    def action_release(self):
        self.ensure_one()
        self.membership_id._get_prepayment_account().action_coop_release_funded(self.amount)
        return {"type": "ir.actions.act_window_close"}
