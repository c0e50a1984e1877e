from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

COOP_ACCOUNT_TYPES = {
    "coop_guarantee_account_id": ("liability_current", "liability_non_current"),
    "coop_late_interest_account_id": ("income", "income_other"),
    "coop_late_fee_account_id": ("income", "income_other"),
    "coop_debit_fee_account_id": ("income", "income_other"),
    "coop_prepayment_account_id": ("liability_current",),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    coop_guarantee_account_id = fields.Many2one(
        "account.account",
        "Guarantee deposits account",
        help="Liability account of the guarantees received in cash (Belgian chart: 488000).",
    )
    coop_guarantee_journal_id = fields.Many2one("account.journal", "Guarantees journal")
    coop_guarantee_bank_journal_id = fields.Many2one(
        "account.journal",
        "Bank journal of guarantees",
        help="Bank journal on which guarantees are received and refunded (first bank journal by default).",
    )
    coop_late_interest_account_id = fields.Many2one(
        "account.account", "Late interest income account", help="Belgian chart: 751000 by default."
    )
    coop_late_fee_account_id = fields.Many2one(
        "account.account", "Penalty and fees income account", help="Belgian chart: 743000 by default."
    )
    coop_debit_fee_account_id = fields.Many2one(
        "account.account",
        "Rejected-debit fees income account",
        help="Income of the administrative fee charged for a rejected direct debit (Belgian chart: 743000 by default).",
    )
    coop_prepayment_account_id = fields.Many2one(
        "account.account",
        "Prepayments received account",
        help="Liability account of the members' prepayments (Belgian chart: 460000 advances received).",
    )
    coop_direct_debit_mode_id = fields.Many2one(
        "account.payment.mode",
        "Direct debit payment mode",
        help="SEPA direct debit payment mode used by the scheduled payment orders of members' invoices.",
    )

    @api.constrains(*COOP_ACCOUNT_TYPES)
    def _check_coop_account_types(self):
        """Guarantees and prepayments are owed to members (liabilities), fees are income."""
        for company in self:
            issues = company._coop_account_type_issues()
            if issues:
                raise ValidationError(issues[0])

    def _coop_account_type_issues(self):
        """A message per configured account of the wrong type (COOP_ACCOUNT_TYPES)."""
        self.ensure_one()
        issues = []
        for field_name, types in COOP_ACCOUNT_TYPES.items():
            account = self[field_name]
            if account and account.account_type not in types:
                issues.append(
                    self.env._(
                        "%(field)s: %(account)s is of type %(type)s; expected %(expected)s.",
                        field=self._fields[field_name].get_description(self.env)["string"],
                        account=account.display_name,
                        type=account.account_type,
                        expected=", ".join(types),
                    )
                )
        return issues

    def _coop_find_account(self, field_name, prefix, account_types):
        self.ensure_one()
        return self[field_name] or self._coop_chart_account(prefix, account_types)

    def _coop_get_guarantee_account(self):
        """Deposits received (never revenue): 488000 cash guarantees received."""
        account = self._coop_find_account("coop_guarantee_account_id", "488", ["liability_current"])
        if not account:
            raise UserError(
                self.env._(
                    "Set the guarantee deposits account of %s: no account 488 was found in its chart of accounts.",
                    self.name,
                )
            )
        if not account.account_type.startswith("liability"):
            raise UserError(
                self.env._("The guarantee deposits account %s must be a liability account.", account.display_name)
            )
        return account

    def _coop_get_prepayment_account(self):
        """Advances received on orders (460000): a prepayment is owed work, not revenue."""
        account = self._coop_find_account("coop_prepayment_account_id", "46", ["liability_current"])
        if not account:
            raise UserError(self.env._("Set the prepayments received account of %s (460000).", self.name))
        return account

    def _coop_get_misc_journal(self):
        self.ensure_one()
        return (
            self.env["account.journal"].search(
                [*self.env["account.journal"]._check_company_domain(self), ("type", "=", "general")], limit=1
            )
            or self._coop_get_guarantee_journal()
        )

    def _coop_get_late_interest_account(self):
        account = self._coop_find_account("coop_late_interest_account_id", "751", ["income_other", "income"])
        return account or self._coop_get_late_fee_account()

    def _coop_get_late_fee_account(self):
        account = self._coop_find_account("coop_late_fee_account_id", "743", ["income_other", "income"])
        if not account:
            account = (
                self.env["account.journal"]
                .search([*self.env["account.journal"]._check_company_domain(self), ("type", "=", "sale")], limit=1)
                .default_account_id
            )
        if not account:
            raise UserError(self.env._("Set the income account of late payment fees of %s.", self.name))
        return account

    def _coop_get_debit_fee_account(self):
        """Income of the rejected direct debit fee (art. 6.4.1): the account set, else 743000."""
        account = self._coop_find_account("coop_debit_fee_account_id", "743", ["income_other", "income"])
        if not account:
            raise UserError(self.env._("Set the income account of rejected-debit fees of %s.", self.name))
        if account.account_type not in COOP_ACCOUNT_TYPES["coop_debit_fee_account_id"]:
            raise UserError(
                self.env._("The rejected-debit fees account %s must be an income account.", account.display_name)
            )
        return account

    def cache_invalidation_fields(self):
        """What the configuration check reads (its answer to the jobs is cached)."""
        return super().cache_invalidation_fields() | {
            *COOP_ACCOUNT_TYPES,
            "coop_guarantee_journal_id",
            "coop_guarantee_bank_journal_id",
        }

    def _coop_configuration_issues(self):
        issues = super()._coop_configuration_issues()
        for getter in (
            self._coop_get_guarantee_account,
            self._coop_get_prepayment_account,
            self._coop_get_late_interest_account,
            self._coop_get_late_fee_account,
            self._coop_get_debit_fee_account,
            self._coop_get_guarantee_bank_journal,
        ):
            self._coop_check_config(issues, getter)
        issues += self._coop_account_type_issues()
        if self.coop_guarantee_journal_id and self.coop_guarantee_journal_id.type != "general":
            issues.append(self.env._("The guarantees journal must be a miscellaneous journal."))
        return issues

    def _coop_get_direct_debit_mode(self):
        """The SEPA direct debit payment mode of members' invoices: the one set on the
        company, else the company's first SEPA direct debit payment mode."""
        self.ensure_one()
        return self.coop_direct_debit_mode_id or self.env["account.payment.mode"].search(
            [
                ("company_id", "=", self.id),
                ("payment_method_id.code", "=", "sepa_direct_debit"),
            ],
            limit=1,
        )

    def _coop_get_late_charges_account(self):
        """Art. 6.4.2: the interest and penalty 24PM owes a member it pays late are financial
        charges (Belgian chart: 65)."""
        self.ensure_one()
        account = self._coop_chart_account("65", ["expense"])
        if not account:
            raise UserError(self.env._("%s has no financial charges account (65) for art. 6.4.2.", self.name))
        return account

    def _coop_get_credit_transfer_mode(self):
        """The SEPA credit transfer payment mode that pays 24PM's refunds to members (OCA
        ``account_banking_sepa_credit_transfer``): the company's first one."""
        self.ensure_one()
        return self.env["account.payment.mode"].search(
            [("company_id", "=", self.id), ("payment_method_id.code", "=", "sepa_credit_transfer")], limit=1
        )

    def _coop_get_guarantee_bank_journal(self):
        self.ensure_one()
        journal = self.coop_guarantee_bank_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self), ("type", "=", "bank")], limit=1
        )
        if not journal.default_account_id:
            raise UserError(self.env._("Set the bank journal on which %s receives guarantees.", self.name))
        return journal

    def _coop_get_guarantee_invoice_journal(self):
        """Sales journal of the guarantees invoiced online (code GARF, Belgian structured
        communication), created on first use."""
        self.ensure_one()
        Journal = self.env["account.journal"]
        journal = Journal.search([*Journal._check_company_domain(self), ("code", "=", "GARF")], limit=1)
        if not journal:
            vals = {
                "name": self.env._("Guarantee invoices"),
                "code": "GARF",
                "type": "sale",
                "company_id": self.id,
                "default_account_id": self._coop_get_guarantee_account().id,
            }
            if "be" in dict(Journal._fields["invoice_reference_model"].selection):
                vals["invoice_reference_model"] = "be"
            journal = Journal.sudo().create(vals)
        return journal

    def _coop_get_guarantee_journal(self):
        """The "Guarantees" journal, created on first use."""
        self.ensure_one()
        journal = self.coop_guarantee_journal_id
        if not journal:
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(self),
                    ("code", "=", "GAR"),
                ],
                limit=1,
            )
        if not journal:
            journal = (
                self.env["account.journal"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Guarantees"),
                        "code": "GAR",
                        "type": "general",
                        "company_id": self.id,
                    }
                )
            )
        if self.coop_guarantee_journal_id != journal:
            self.sudo().coop_guarantee_journal_id = journal
        return journal
