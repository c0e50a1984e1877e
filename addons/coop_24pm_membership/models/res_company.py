from odoo import fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    coop_capital_account_id = fields.Many2one(
        "account.account",
        "Cooperative capital account",
        help="Account of the members' shares: 100 issued capital, or 1100-1119 contributions "
        "(a cooperative under the 2019 Companies Code has no capital in the legal sense).",
    )
    coop_share_journal_id = fields.Many2one("account.journal", "Share register journal")

    def _coop_get_capital_account(self):
        self.ensure_one()
        account = self.coop_capital_account_id
        if not account:
            account = self.env["account.account"].search(
                [
                    *self.env["account.account"]._check_company_domain(self),
                    ("code", "=like", "100%"),
                    ("account_type", "=", "equity"),
                ],
                limit=1,
            )
        if not account:
            raise UserError(
                self.env._(
                    "Set the cooperative capital account in Accounting settings (block Cooperative): "
                    "no account 100 was found in the chart of accounts of %s.",
                    self.name,
                )
            )
        if account.account_type != "equity":
            raise UserError(
                self.env._("The cooperative capital account %s must be an equity account.", account.display_name)
            )
        return account

    def _coop_get_share_journal(self):
        self.ensure_one()
        journal = self.coop_share_journal_id
        if not journal:
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(self),
                    ("code", "=", "SHR"),
                ],
                limit=1,
            )
        if not journal:
            vals = {
                "name": self.env._("Cooperative shares"),
                "code": "SHR",
                "type": "sale",
                "company_id": self.id,
                "default_account_id": self._coop_get_capital_account().id,
            }
            if "be" in dict(self.env["account.journal"]._fields["invoice_reference_model"].selection):
                vals["invoice_reference_model"] = "be"
            journal = self.env["account.journal"].sudo().create(vals)
            self.sudo().coop_share_journal_id = journal
        if journal.type != "sale":
            raise UserError(self.env._("The share register journal must be a sales journal."))
        return journal
