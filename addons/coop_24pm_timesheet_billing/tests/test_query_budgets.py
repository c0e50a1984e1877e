from datetime import date

from odoo.tests import tagged
from odoo.tools import float_compare

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestQueryBudgets(CoopBillingCommon):
    """Issue 21 item 7: the SQL budgets of the three hot paths are pinned, so that a change
    that costs more queries fails here (the benchmarks measure the time, README of
    ``benchmarks/``). Each path runs once first: what is measured is the warm path."""

    def _assert_amount(self, amount, expected):
        self.assertEqual(self.env.company.currency_id.compare_amounts(amount, expected), 0, f"{amount} != {expected}")

    def _work(self, membership, lines=3, day=1):
        task = self.env["project.task"].create(
            {"name": "Job", "project_id": self.env["project.project"]._coop_projects_of(membership).id}
        )
        return self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "employee_id": self.medior.id,
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "unit_amount": 0.5,
                    "date": date(2026, 3, day + i),
                }
                for i in range(lines)
            ]
        )

    def test_timesheet_entry(self):
        """Art. 6.2: one timesheet line of a member, rounded to the quarter hour and priced
        at its group rate and plan margin."""
        first = self._log(self.medior, 35, "2026-03-02")
        self.env.flush_all()
        self.assertEqual(float_compare(first.coop_billable_hours, 0.75, precision_digits=2), 0)
        with self.assertQueryCount(BUDGET_TIMESHEET_ENTRY):
            line = self._log(self.medior, 50, "2026-03-03")
            self.env.flush_all()
        self.assertEqual(float_compare(line.coop_billable_hours, 1.0, precision_digits=2), 0)

    def test_cached_rates_follow_a_change(self):
        """The rates a timesheet entry reads are cached across transactions (B1 of the
        benchmarks: no query for them): a new rate is read by the next entry."""
        self._assert_amount(self._log(self.medior, 60, "2026-03-02").coop_amount, 82.80)  # 60.00 x 1.38
        rate = self.env["coop.group.rate"].search(
            [("product_id", "=", self.service.id), ("category_id", "=", self.cat_medior.id)]
        )
        rate.date_to = "2026-03-09"
        self.env["coop.group.rate"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "rate": 70.0, "date_from": "2026-03-10"}
        )
        self._assert_amount(self._log(self.medior, 60, "2026-03-10").coop_amount, 96.60)  # 70.00 x 1.38
        self._assert_amount(self._log(self.medior, 60, "2026-03-09").coop_amount, 82.80)

    def test_billing_one_member(self):
        """Art. 6.2: a billing run of one member with its uninvoiced work."""
        # both members first: what creating a member clears of Odoo's caches (ormcache) is
        # warmed up again by the first invoice, whatever the tests before left in them
        warm = self._make_billing_member("Budget Chaud", self.basic_2021)
        member = self._make_billing_member("Budget Mesure", self.basic_2021)
        self._work(warm)
        self._work(member)
        self._invoice_members(warm, date(2026, 3, 31))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(BUDGET_BILLING_ONE_MEMBER):
            invoice = self._invoice_members(member, date(2026, 3, 31))
            self.env.flush_all()
        # 3 x 0.5 h x 60.00 x 1.38
        self.assertEqual(invoice.currency_id.compare_amounts(invoice.amount_untaxed, 124.20), 0)

    def test_trust_account_values(self):
        """SPEC 4: what the member's trust-account page reads (guarantee, prepayments,
        invoices due, the work not invoiced yet)."""
        self._work(self.member)
        self.env["coop.trust.account"]._coop_get_values(self.member)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(BUDGET_TRUST_ACCOUNT):
            values = self.env["coop.trust.account"]._coop_get_values(self.member)
        self.assertTrue(values)


#: the budgets (queries), measured on the four addons installed
BUDGET_TIMESHEET_ENTRY = 5
# billing one member: 141 since the member's fiscal position maps the service VAT (the
# intra-Community reverse charge, issue 18's replay): Odoo's own lookup, 2 queries
BUDGET_BILLING_ONE_MEMBER = 141
# the trust account: 20 since it reads the member's receivable balance as its partner ledger
# does (one grouped query), so that an unapplied receipt is deducted from what it owes
BUDGET_TRUST_ACCOUNT = 20
