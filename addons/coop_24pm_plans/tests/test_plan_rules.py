from datetime import date

from odoo.tests import BaseCase, tagged

from odoo.addons.coop_24pm_plans.models.coop_plan_rules import (
    annual_price,
    change_effective_date,
    period_containing,
    prorata_amount,
    upgrade_gain,
)


@tagged("post_install", "-at_install")
class TestPlanRules(BaseCase):
    def test_period_anchored_on_anniversary(self):
        self.assertEqual(period_containing(date(2026, 1, 5), 1, date(2026, 3, 4)), (date(2026, 2, 5), date(2026, 3, 4)))
        self.assertEqual(period_containing(date(2026, 1, 5), 1, date(2026, 3, 5)), (date(2026, 3, 5), date(2026, 4, 4)))
        self.assertEqual(
            period_containing(date(2026, 1, 31), 1, date(2026, 2, 27)), (date(2026, 1, 31), date(2026, 2, 27))
        )
        self.assertEqual(
            period_containing(date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2026, 2, 28), date(2026, 3, 30))
        )
        self.assertEqual(
            period_containing(date(2025, 9, 1), 12, date(2026, 4, 12)), (date(2025, 9, 1), date(2026, 8, 31))
        )

    def test_prorata_by_days_of_the_month(self):
        # April has 30 days: Standard EUR 600 from the 1st to the 11th, Partner EUR 1,500 from the 12th
        self.assertEqual(prorata_amount(600.0, date(2026, 4, 1), 1, date(2026, 4, 1), date(2026, 4, 11)), 220.0)
        self.assertEqual(prorata_amount(1500.0, date(2026, 4, 1), 1, date(2026, 4, 12), date(2026, 4, 30)), 950.0)
        # across two periods: the rest of April and all of May
        self.assertEqual(prorata_amount(600.0, date(2026, 4, 1), 1, date(2026, 4, 21), date(2026, 5, 31)), 800.0)

    def test_annual_price_is_ten_months(self):
        self.assertEqual(annual_price(300.0, 2), 3000.0)

    def test_effective_dates(self):
        anchor = date(2026, 1, 1)
        self.assertEqual(change_effective_date("upgrade", "monthly", date(2026, 4, 12), anchor), date(2026, 4, 12))
        self.assertEqual(change_effective_date("downgrade", "monthly", date(2026, 4, 12), anchor), date(2026, 5, 1))
        self.assertEqual(change_effective_date("upgrade", "annual", date(2026, 4, 12), anchor), date(2027, 1, 1))
        self.assertEqual(
            change_effective_date("downgrade", "annual", date(2026, 4, 12), date(2026, 1, 5)), date(2027, 2, 1)
        )

    def test_upgrade_gain_break_even(self):
        # EUR 5,400 billed at 38 %: Standard (15 %) saves exactly the EUR 900 of extra fees
        self.assertAlmostEqual(upgrade_gain(5400.0, 0.38, 300.0, 0.15, 600.0), 0.0, places=6)
        self.assertAlmostEqual(upgrade_gain(5401.38, 0.38, 300.0, 0.15, 600.0), 0.23, places=6)
