from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoopPlansCommon

COMPANY_LOGGER = "odoo.addons.coop_24pm_membership.models.res_company"


@tagged("post_install", "-at_install")
class TestPlanAccounts(CoopPlansCommon):
    """Contribution income per plan (Cooperative settings) and the contribution job
    held back while the configuration is incomplete."""

    def _account(self, code):
        return self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(self.env.company), ("code", "=", code)], limit=1
        )

    def test_contribution_posted_on_the_plan_account(self):
        account = self._account("700000")
        self.basic_2023.with_company(self.env.company).contribution_account_id = account
        member = self._make_plan_member("Account Basic SRL", self.basic_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        line = self._invoices(member, "contribution").invoice_line_ids.filtered(
            lambda aml: aml.product_id == self.basic_2023.product_id
        )
        self.assertRecordValues(
            line,
            [
                {
                    "account_id": account.id,
                    "coop_plan_id": self.basic_2023.id,
                    "coop_line_kind": "contribution",
                    "price_subtotal": 300.0,
                }
            ],
        )

    def test_default_plan_account_is_700100(self):
        member = self._make_plan_member("Default Basic SRL", self.basic_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        line = self._invoices(member, "contribution").invoice_line_ids.filtered("coop_plan_id")
        self.assertEqual(line.account_id.code, "700100")

    def test_wrong_account_type_refused(self):
        with self.assertRaisesRegex(ValidationError, "Service income account of the plan .*expected income"):
            self.basic_2023.with_company(self.env.company).service_account_id = self._account("400000")
        with self.assertRaisesRegex(ValidationError, "Contribution income account of the plan"):
            self.basic_2023.with_company(self.env.company).contribution_account_id = self._account("488000")

    def test_incomplete_configuration_contribution_job_posts_nothing(self):
        member = self._make_plan_member("Held SRL", self.basic_2023, "2026-04-01")
        self.env.company.coop_capital_account_id = self._account("700000")  # wrong type: incomplete
        with self.assertLogs(COMPANY_LOGGER, "WARNING") as logs:
            self._run_contract_cron("2026-04-01")
        self.assertFalse(self._invoices(member, "contribution"))
        self.assertTrue(any("Cooperative contribution invoicing" in line for line in logs.output))
        self.env.company.coop_capital_account_id = self.capital_account
        self._run_contract_cron("2026-04-01")
        self.assertEqual(self._invoices(member, "contribution").amount_untaxed, 350.0)
