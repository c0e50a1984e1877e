from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import GuaranteeCommon

COMPANY_LOGGER = "odoo.addons.coop_24pm_membership.models.res_company"


@tagged("post_install", "-at_install")
class TestCooperativeConfiguration(GuaranteeCommon):
    """No scheduled job posts until the Cooperative settings are complete; the rejected
    debit fee has its own income account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Config SRL", vat="BE0477472701")
        cls._make_mandate(cls.partner)
        cls.member = cls._make_member(cls.partner, credit_score=80.0)

    def _account(self, code):
        return self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(self.env.company), ("code", "=", code)], limit=1
        )

    def _break_configuration(self):
        """A wrong capital account (the settings form refuses it; written here on the
        company to reach the jobs' check)."""
        self.env.company.coop_capital_account_id = self._account("700000")

    def test_complete_configuration_has_no_issue(self):
        self.assertEqual(self.env.company._coop_configuration_issues(), [])
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.coop_configuration_issues)

    def test_issues_listed_on_the_settings_page(self):
        self._break_configuration()
        issues = self.env.company._coop_configuration_issues()
        self.assertEqual(len(issues), 1)
        self.assertIn("must be an equity account", issues[0])
        settings = self.env["res.config.settings"].create({})
        self.assertIn("must be an equity account", settings.coop_configuration_issues)

    def test_incomplete_configuration_late_fee_job_posts_nothing_and_logs(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        self._break_configuration()
        moves_before = self.env["account.move"].search_count([])
        with freeze_time("2026-03-18"), self.assertLogs(COMPANY_LOGGER, "WARNING") as logs:
            fees = self.env["account.move"]._cron_coop_late_fees()
        self.assertFalse(fees)
        self.assertFalse(self._fee_invoices(invoice))
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertFalse(invoice.coop_penalty_charged)
        self.assertTrue(
            any("Cooperative late fees" in line and "must be an equity account" in line for line in logs.output)
        )
        # once fixed, the next run charges the fees
        self.env.company.coop_capital_account_id = self.capital_account
        with freeze_time("2026-03-18"):
            self.env["account.move"]._cron_coop_late_fees()
        self.assertEqual(self._fee_invoices(invoice, "late").amount_total, 165.0)

    def test_incomplete_configuration_prepayment_job_posts_nothing(self):
        self.member.write(
            {
                "coop_payment_mode": "prepayment",
                "prepayment_amount": 500.0,
            }
        )
        self.member._get_prepayment_account().next_date = "2026-03-01"
        self._break_configuration()
        with freeze_time("2026-03-02"), self.assertLogs(COMPANY_LOGGER, "WARNING"):
            due = self.env["coop.prepayment.account"]._cron_prepayments()
        self.assertFalse(due)
        self.assertFalse(self.env["account.move"].search([("coop_is_prepayment", "=", True)]))
        self.env.company.coop_capital_account_id = self.capital_account
        with freeze_time("2026-03-02"):
            due = self.env["coop.prepayment.account"]._cron_prepayments()
        self.assertEqual(due.membership_id, self.member)
        prepayment = self.env["account.move"].search([("coop_is_prepayment", "=", True)])
        self.assertEqual(prepayment.amount_total, 500.0)
        self.assertEqual(prepayment.state, "posted")

    def test_rejected_debit_fee_on_its_own_account(self):
        account = self._account("743000").copy({"code": "743100", "name": "Rejected debit fees"})
        self.env.company.coop_debit_fee_account_id = account
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-03-03")
        with freeze_time("2026-02-12"):
            rejection = self.env["coop.debit.rejection"].create({"invoice_id": invoice.id, "reason": "AM04"})
        self.assertEqual(rejection.fee_invoice_id.invoice_line_ids.account_id, account)
        self.assertEqual(rejection.fee_amount, 15.0)

    def test_rejected_debit_fee_account_must_be_income(self):
        with self.assertRaisesRegex(ValidationError, "Rejected-debit fees income account.*expected income"):
            self.env.company.coop_debit_fee_account_id = self._account("488000")

    def test_fixed_configuration_seen_by_next_run_then_broken_again(self):
        """Issue 18, finding 3: the jobs read the check from a cache, cleared by any change of
        what it reads: a company's settings (fixed here by staff after a skipped run) and its
        accounts (the capital account made an income account afterwards)."""
        first = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        self._break_configuration()
        with freeze_time("2026-03-18"), self.assertLogs(COMPANY_LOGGER, "WARNING") as logs:
            self.assertFalse(self.env["account.move"]._cron_coop_late_fees())
        self.assertTrue(any("must be an equity account" in line for line in logs.output))
        self.assertFalse(self._fee_invoices(first))
        self.env.company.coop_capital_account_id = self.capital_account
        with freeze_time("2026-03-18"):
            self.env["account.move"]._cron_coop_late_fees()
        # EUR 150.00 minimum penalty + interest (as test_incomplete_configuration_late_fee_job...)
        self.assertEqual(self._fee_invoices(first, "late").amount_total, 165.0)
        second = self._post_invoice(self.partner, 400.0, date="2026-02-01", due="2026-02-01")
        self.capital_account.account_type = "income"
        moves_before = self.env["account.move"].search_count([])
        with freeze_time("2026-03-18"), self.assertLogs(COMPANY_LOGGER, "WARNING") as logs:
            self.assertFalse(self.env["account.move"]._cron_coop_late_fees())
        self.assertTrue(any("must be an equity account" in line for line in logs.output))
        self.assertFalse(self._fee_invoices(second))
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)

    def test_job_with_nothing_to_do_reads_the_check_from_the_cache(self):
        """Issue 18, finding 3: a run with nothing to do was ~73 queries, nearly all the
        configuration check; now one query, the job's own search."""
        Prepayment = self.env["coop.prepayment.account"]
        with freeze_time("2026-03-02"):
            self.assertFalse(Prepayment._cron_prepayments())  # the first run fills the cache
            with self.assertQueryCount(0):
                self.assertIn(self.env.company, self.env["res.company"]._coop_ready_companies("Test"))
            with self.assertQueryCount(1):
                self.assertFalse(Prepayment._cron_prepayments())
