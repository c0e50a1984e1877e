from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coop_capital_account_id = fields.Many2one(
        related="company_id.coop_capital_account_id",
        readonly=False,
        domain="[('account_type', '=', 'equity')]",
    )
    coop_share_journal_id = fields.Many2one(
        related="company_id.coop_share_journal_id",
        readonly=False,
        domain="[('type', '=', 'sale')]",
    )
    coop_equity_stake_account_id = fields.Many2one(
        related="company_id.coop_equity_stake_account_id",
        readonly=False,
        domain="[('account_type', '=', 'asset_non_current'), ('code', '=like', '28%')]",
    )
    coop_data_retention_years = fields.Integer(related="company_id.coop_data_retention_years", readonly=False)

    coop_configuration_issues = fields.Html(
        "Missing in the cooperative configuration",
        compute="_compute_coop_configuration_issues",
        sanitize=False,
        help="Until this list is empty, no scheduled job of the cooperative posts anything for the company.",
    )

    @api.depends("company_id")
    def _compute_coop_configuration_issues(self):
        for settings in self:
            settings.coop_configuration_issues = settings.company_id.sudo()._coop_configuration_issues_html()

    @api.constrains("coop_capital_account_id")
    def _check_coop_capital_account(self):
        for settings in self:
            account = settings.coop_capital_account_id
            if account and account.account_type != "equity":
                raise ValidationError(self.env._("The cooperative capital account must be an equity account."))
