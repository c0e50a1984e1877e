from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPricing(CoopBillingCommon):
    def test_7_minutes_bill_as_quarter_hour_and_real_duration_kept(self):
        line = self._log(self.medior, 7, "2026-03-02")
        self.assertRecordValues(
            line,
            [
                {
                    "unit_amount": 7 / 60.0,
                    "coop_rounded_hours": 0.25,
                    "coop_billable_hours": 0.25,
                    "coop_rate": 60.0,
                    "coop_margin": 0.38,
                    "coop_amount": 20.70,
                    "coop_category_id": self.cat_medior.id,
                }
            ],
        )

    def test_61_minutes_bill_as_1_25_hours(self):
        line = self._log(self.medior, 61, "2026-03-02")
        self.assertEqual(line.coop_billable_hours, 1.25)
        self.assertEqual(line.coop_amount, 103.50)  # 1.25 x 60 x 1.38

    def test_medior_basique_82_80_per_hour(self):
        line = self._log(self.medior, 60, "2026-03-02")
        self.assertEqual(line.coop_amount, 82.80)
        self.assertEqual(self.member._get_uninvoiced_amount(), 82.80)

    def test_rate_by_validity_date(self):
        may, june = self._log(self.senior, 60, "2026-05-31"), self._log(self.senior, 60, "2026-06-01")
        self.assertEqual((may.coop_rate, may.coop_amount), (80.0, 110.40))
        self.assertEqual((june.coop_rate, june.coop_amount), (85.0, 117.30))

    def test_plan_change_mid_period_uses_plan_of_the_work_date(self):
        """Basique 2021 (38 %) until the 15th, Standard 2021 (15 %) from the 16th."""
        self._change_plan(self.member, self.standard_2021, "2026-03-16")
        self.assertEqual(
            (self.member._get_plan_margin(date(2026, 3, 15)), self.member._get_plan_margin(date(2026, 3, 16))),
            (0.38, 0.15),
        )
        before, after = self._log(self.medior, 60, "2026-03-15"), self._log(self.medior, 60, "2026-03-16")
        self.assertEqual((before.coop_margin, before.coop_amount), (0.38, 82.80))
        self.assertEqual((after.coop_margin, after.coop_amount), (0.15, 69.00))
        self.assertEqual(self.member._get_uninvoiced_amount(), 151.80)

    def test_subcontractor_purchase_price_plus_margin(self):
        line = self._log(self.subcontractor, 120, "2026-03-02")
        self.assertEqual((line.coop_rate, line.coop_amount), (50.0, 138.00))

    def test_missing_rate_refused(self):
        strategist = self.env["hr.employee"].create(
            {"name": "No Rate", "coop_category_id": self.env.ref("coop_24pm_timesheet_billing.category_strategist").id}
        )
        count = self.env["account.analytic.line"].search_count([])
        with self.assertRaises(UserError) as refused:
            self._log(strategist, 60, "2026-03-02")
        self.assertIn("No group rate", str(refused.exception))
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)

    def test_internal_project_not_priced(self):
        project = self.env["project.project"].create({"name": "Internal", "allow_timesheets": True})
        line = self.env["account.analytic.line"].create(
            {"name": "x", "employee_id": self.medior.id, "project_id": project.id, "unit_amount": 1.0}
        )
        self.assertEqual((line.coop_amount, line.coop_billable_hours), (0.0, 0.0))
        self.assertFalse(line.coop_membership_id)
