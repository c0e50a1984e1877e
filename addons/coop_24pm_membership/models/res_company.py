import base64
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import file_open, ormcache

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    coop_capital_account_id = fields.Many2one(
        "account.account",
        "Cooperative capital account",
        help="Account of the members' shares: 100 issued capital, or 1100-1119 contributions "
        "(a cooperative under the 2019 Companies Code has no capital in the legal sense).",
    )
    coop_share_journal_id = fields.Many2one("account.journal", "Share register journal")
    coop_outside_vat_tax_id = fields.Many2one(
        "account.tax",
        "Tax of compensation outside the scope of VAT",
        domain=[("type_tax_use", "=", "sale"), ("ubl_cii_tax_category_code", "=", "O")],
        help="0 % sales tax of VAT category O (not subject to VAT, VATEX-EU-O) on late interest, penalties, "
        "rejected-debit fees and fault indemnities (art. 6.4, 10): compensation, not a supply. Created on first use.",
    )
    coop_equity_stake_account_id = fields.Many2one(
        "account.account",
        "Equity stakes account",
        help="Financial fixed asset debited by the shares of member companies 24PM acquires (ROI 2021 art. "
        "4.4.2): 284 (other shares) by default, or 280/282 when the stake makes the member an affiliated or "
        "linked enterprise.",
    )
    coop_data_retention_years = fields.Integer(
        "Retention of accounting evidence (years)",
        default=10,
        help='FAQ "Votre compte": the accounting evidence is kept for the period the SPF Finances and the '
        "National Bank recommend (5 to 10 years); once it has passed after the end of a membership, the personal "
        "data of the former member's agents and contacts are anonymised.",
    )
    coop_legal_form = fields.Char(
        "Legal form",
        default="SC",
        help="Abbreviation of the legal form printed after the name on every document "
        "(Code of Companies and Associations, art. 2:20): SC for a cooperative company.",
    )

    @api.constrains("coop_data_retention_years")
    def _check_coop_data_retention_years(self):
        for company in self:
            if not 5 <= company.coop_data_retention_years <= 10:
                raise ValidationError(
                    self.env._(
                        'FAQ "Votre compte": the accounting evidence is kept 5 to 10 years (SPF Finances, National '
                        "Bank of Belgium); %s years is outside that range.",
                        company.coop_data_retention_years,
                    )
                )

    # ------------------------------------------------------------------
    # document layout (issue 22): saved at install, so no report asks for it
    # ------------------------------------------------------------------
    @api.model
    def _coop_set_document_layout(self):
        """At install: every company without a document layout gets 24PM's."""
        self.sudo().search([("external_report_layout_id", "=", False)])._coop_apply_document_layout()
        return True

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies.filtered(lambda c: not c.external_report_layout_id).sudo()._coop_apply_document_layout()
        return companies

    def _coop_apply_document_layout(self):
        """Odoo's standard layout, 24PM's logo (instead of Odoo's "Your logo" placeholder)
        and colours. Odoo opens its "Configure your document layout" dialog in front of the
        first report an administrator prints while ``external_report_layout_id`` is empty;
        the legal mentions close every document (``report_legal_mentions``)."""
        layout = self.env.ref("web.external_layout_standard", raise_if_not_found=False)
        if not layout:
            return
        with file_open("coop_24pm_membership/static/description/icon.png", "rb") as logo_file:
            logo = base64.b64encode(logo_file.read())
        for company in self:
            vals = {
                "external_report_layout_id": layout.id,
                "primary_color": company.primary_color or "#1d3557",
                "secondary_color": company.secondary_color or "#e76f51",
            }
            if company.uses_default_logo:
                vals["logo"] = logo
            company.write(vals)

    # ------------------------------------------------------------------
    # legal mentions of documents (SPEC 7.6)
    # ------------------------------------------------------------------
    def _coop_get_legal_name(self):
        """The name with the legal form, as the Companies Code wants it on every document."""
        self.ensure_one()
        name = (self.name or "").strip()
        form = (self.coop_legal_form or "").strip()
        if form and not name.upper().endswith(f" {form.upper()}"):
            name = f"{name} {form}"
        return name

    def _coop_get_enterprise_number(self):
        """The enterprise number (0812.345.603): the company registry, or the digits of a
        Belgian VAT number."""
        self.ensure_one()
        number = self.company_registry or ((self.vat or "").upper().startswith("BE") and self.vat) or ""
        digits = "".join(char for char in number if char.isdigit())
        if len(digits) == 10 and (self.country_id.code == "BE" or number.upper().startswith("BE")):
            return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
        return number or False

    def _coop_get_legal_address(self):
        """The registered office on one line: street, zip and city, country."""
        self.ensure_one()
        partner = self.partner_id
        city = " ".join(filter(None, [partner.zip, partner.city]))
        return ", ".join(filter(None, [partner.street, partner.street2, city, partner.country_id.name]))

    def _coop_get_document_bank(self, document=None):
        """The account a document asks to pay on: the invoice's own recipient bank when it
        is one of the company's, else the company's first account."""
        self.ensure_one()
        bank = document is not None and "partner_bank_id" in document._fields and document.partner_bank_id
        if bank and bank.partner_id == self.partner_id:
            return bank
        return self.partner_id.bank_ids[:1]

    def _coop_chart_account(self, prefix, account_types):
        """The first account of this company's chart whose code starts with ``prefix`` and
        whose type is one of ``account_types``: the default of the suite's settings.
        Account codes are per company, so the search runs in this company."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        return Account.search(
            [
                *Account._check_company_domain(self),
                ("code", "=like", f"{prefix}%"),
                ("account_type", "in", list(account_types)),
            ],
            order="code",
            limit=1,
        )

    def _coop_get_capital_account(self):
        self.ensure_one()
        account = self.coop_capital_account_id or self._coop_chart_account("100", ["equity"])
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

    def _coop_get_equity_stake_account(self):
        """ROI 2021 art. 4.4.2: the financial fixed asset of the shares held in member companies."""
        self.ensure_one()
        account = self.coop_equity_stake_account_id or self._coop_chart_account("284", ["asset_non_current"])
        if not account:
            raise UserError(
                self.env._(
                    "Set the equity stakes account in Accounting settings (block Cooperative): no account 284 "
                    "was found in the chart of accounts of %s.",
                    self.name,
                )
            )
        if account.account_type != "asset_non_current" or not account.code.startswith("28"):
            raise UserError(
                self.env._(
                    "The equity stakes account %s must be a financial fixed asset (class 28).", account.display_name
                )
            )
        return account

    def _coop_get_purchase_journal(self):
        self.ensure_one()
        Journal = self.env["account.journal"]
        journal = Journal.search([*Journal._check_company_domain(self), ("type", "=", "purchase")], limit=1)
        if not journal:
            raise UserError(self.env._("Create a purchase journal in %s to book the cooperative's bills.", self.name))
        return journal

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

    # ------------------------------------------------------------------
    # configuration completeness: no scheduled job posts before it
    # ------------------------------------------------------------------
    def _coop_get_outside_vat_tax(self):
        """SPEC 7.6: the 0 % sales tax of VAT category O of compensation lines, created on first use.

        Each invoice line then has exactly one tax, as EN 16931 requires, and the
        e-invoice says why no VAT is due (VATEX-EU-O, "Not subject to VAT").
        """
        self.ensure_one()
        tax = self.coop_outside_vat_tax_id
        if not tax:
            Tax = self.env["account.tax"].sudo().with_company(self)
            tax = Tax.search(
                [
                    *Tax._check_company_domain(self),
                    ("type_tax_use", "=", "sale"),
                    ("amount", "=", 0.0),
                    ("ubl_cii_tax_category_code", "=", "O"),
                ],
                limit=1,
            )
            if not tax:
                zero = Tax.search(
                    [*Tax._check_company_domain(self), ("type_tax_use", "=", "sale"), ("amount", "=", 0.0)], limit=1
                )
                vals = {
                    "name": self.env._("0% outside the scope of VAT (compensation)"),
                    "description": self.env._("Outside VAT scope"),
                    "invoice_label": self.env._("Not subject to VAT"),
                    "amount": 0.0,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "company_id": self.id,
                    "country_id": (self.account_fiscal_country_id or self.country_id).id,
                    "ubl_cii_tax_category_code": "O",
                    "ubl_cii_tax_exemption_reason_code": "VATEX-EU-O",
                }
                if zero.tax_group_id:
                    vals["tax_group_id"] = zero.tax_group_id.id
                tax = Tax.create(vals)
            self.sudo().coop_outside_vat_tax_id = tax
        return tax

    def _coop_configuration_issues(self):
        """What is missing or wrong in the Cooperative settings of this company, as a list
        of sentences (empty when complete). Each addon adds its own checks with super()."""
        self.ensure_one()
        issues = []
        self._coop_check_config(issues, self._coop_get_capital_account)
        if self.coop_share_journal_id and self.coop_share_journal_id.type != "sale":
            issues.append(self.env._("The share register journal must be a sales journal."))
        return issues

    def _coop_check_config(self, issues, getter, *args):
        """Run ``getter``: append its UserError message to ``issues`` instead of raising.
        Runs in a savepoint so that nothing a getter may create (a default journal) stays
        when it fails."""
        try:
            with self.env.cr.savepoint():
                return getter(*args)
        except UserError as error:
            issues.append(error.args[0])
        return None

    # The scheduled jobs ask at every run (issue 18, finding 3: the check is some 70 queries,
    # a daily job with nothing to do cost ~0.1 s a run). Its answer is cached in Odoo's
    # registry (ormcache) and cleared by any change of what the check reads: the company's
    # Cooperative fields (``cache_invalidation_fields``), its accounts, journals and plans
    # (``_coop_configuration_changed``). Other workers learn of a change through the
    # registry's signalling, a rolled-back change clears it again, as for Odoo's own caches.
    COOP_CONFIGURATION_FIELDS = frozenset({"coop_capital_account_id", "coop_share_journal_id"})

    def cache_invalidation_fields(self):
        return super().cache_invalidation_fields() | self.COOP_CONFIGURATION_FIELDS

    @api.model
    def _coop_configuration_changed(self):
        """Something the configuration check reads has changed: the jobs check again."""
        self.env.registry.clear_cache()

    @api.model
    @ormcache()
    def _coop_ready_company_ids(self):
        """The ids of the active companies whose Cooperative configuration is complete, and
        of the others, as two tuples (cached, see above)."""
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all  # every company
        ready = companies.filtered(lambda company: not company._coop_configuration_issues())
        return tuple(ready.ids), tuple((companies - ready).ids)

    @api.model
    def _coop_ready_companies(self, job_name, companies=None):
        """The companies whose Cooperative configuration is complete. For the others the
        job ``job_name`` posts nothing: a warning in the log says what is missing (checked
        again at every run; a complete configuration is read from the cache)."""
        ready_ids, incomplete_ids = self._coop_ready_company_ids()
        if companies is None:
            companies = self.env["res.company"].sudo().browse(ready_ids + incomplete_ids)
        ready = self.env["res.company"]
        for company in companies:
            issues = [] if company.id in ready_ids else company.sudo()._coop_configuration_issues()
            if issues:
                _logger.warning(
                    "%s: nothing posted for %s, the Cooperative configuration is incomplete: %s",
                    job_name,
                    company.name,
                    " ".join(issues),
                )
            else:
                ready |= company
        return ready

    def _coop_configuration_issues_html(self):
        self.ensure_one()
        issues = self._coop_configuration_issues()
        if not issues:
            return False
        return Markup("<ul class='mb-0'>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>") % escape(issue) for issue in issues
        )
