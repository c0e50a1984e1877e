from odoo import fields, models

#: the accounts the fees are booked on (late interest, penalty, rejected debit)
INCOME_ACCOUNTS = "[('account_type', 'in', ('income', 'income_other'))]"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coop_guarantee_account_id = fields.Many2one(
        related="company_id.coop_guarantee_account_id",
        readonly=False,
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
    )
    coop_guarantee_journal_id = fields.Many2one(
        related="company_id.coop_guarantee_journal_id", readonly=False, domain="[('type', '=', 'general')]"
    )
    coop_guarantee_bank_journal_id = fields.Many2one(
        related="company_id.coop_guarantee_bank_journal_id", readonly=False, domain="[('type', '=', 'bank')]"
    )
    coop_late_interest_account_id = fields.Many2one(
        related="company_id.coop_late_interest_account_id", readonly=False, domain=INCOME_ACCOUNTS
    )
    coop_late_fee_account_id = fields.Many2one(
        related="company_id.coop_late_fee_account_id", readonly=False, domain=INCOME_ACCOUNTS
    )
    coop_debit_fee_account_id = fields.Many2one(
        related="company_id.coop_debit_fee_account_id", readonly=False, domain=INCOME_ACCOUNTS
    )
    coop_prepayment_account_id = fields.Many2one(
        related="company_id.coop_prepayment_account_id",
        readonly=False,
        domain="[('account_type', '=', 'liability_current')]",
    )
    coop_direct_debit_mode_id = fields.Many2one(related="company_id.coop_direct_debit_mode_id", readonly=False)
