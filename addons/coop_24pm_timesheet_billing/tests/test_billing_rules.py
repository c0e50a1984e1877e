from datetime import date

from odoo.tests import BaseCase, tagged

from odoo.addons.coop_24pm_timesheet_billing.models.coop_billing_rules import (
    billable_amount,
    budget_change_date,
    round_up_quarter_hour,
    service_invoice_due,
    split_budget,
    storage_media_monthly,
)


@tagged("post_install", "-at_install")
class TestBillingRules(BaseCase):
    """Pure arithmetic, no database."""

    def test_art2_every_started_quarter_hour_counts(self):
        cases = {0: 0.0, 1: 0.25, 7: 0.25, 15: 0.25, 16: 0.5, 45: 0.75, 60: 1.0, 61: 1.25, 90: 1.5, 125: 2.25}
        for minutes, hours in cases.items():
            with self.subTest(minutes=minutes):
                self.assertEqual(round_up_quarter_hour(minutes / 60.0), hours)

    def test_float_noise_does_not_add_a_quarter(self):
        self.assertEqual(round_up_quarter_hour(0.9999999), 1.0)
        self.assertEqual(round_up_quarter_hour(0.25000001), 0.25)

    def test_medior_for_basique_member_bills_82_80_per_hour(self):
        self.assertEqual(billable_amount(1.0, 60.0, 0.38), 82.80)
        self.assertEqual(billable_amount(0.25, 60.0, 0.38), 20.70)
        self.assertEqual(billable_amount(1.25, 60.0, 0.15), 86.25)
        self.assertEqual(billable_amount(1.0, 60.0, 0.0), 60.0)

    def test_storage_media_divided_by_36_months(self):
        self.assertEqual(storage_media_monthly(180.0), 5.0)
        self.assertEqual(storage_media_monthly(100.0), 2.78)

    def test_budget_increase_now_decrease_next_period(self):
        wed = date(2026, 3, 11)
        self.assertEqual(budget_change_date(wed, "month", 10.0, 12.0), date(2026, 3, 1))
        self.assertEqual(budget_change_date(wed, "month", 10.0, 8.0), date(2026, 4, 1))
        self.assertEqual(budget_change_date(wed, "week", 10.0, 8.0), date(2026, 3, 16))
        self.assertEqual(budget_change_date(wed, "week", 10.0, 12.0), date(2026, 3, 9))
        self.assertEqual(budget_change_date(wed, "day", 2.0, 1.0), date(2026, 3, 12))
        self.assertEqual(budget_change_date(wed, "month", None, 5.0), date(2026, 3, 1))

    def test_split_budget(self):
        self.assertEqual(split_budget(1.5, 1.0, 2.0), (0.5, 0.5))
        self.assertEqual(split_budget(2.5, 1.0, 2.0), (0.0, 1.0))
        self.assertEqual(split_budget(0.0, 1.0, 2.0), (1.0, 0.0))

    def test_art_6_2_rhythm(self):
        today = date(2026, 3, 20)
        # half the guarantee reached 3 days after the last invoice
        self.assertTrue(service_invoice_due(today, date(2026, 3, 17), 1000.0, 2000.0, False))
        self.assertFalse(service_invoice_due(today, date(2026, 3, 17), 999.99, 2000.0, False))
        # 15 days since the last invoice
        self.assertTrue(service_invoice_due(today, date(2026, 3, 5), 10.0, 2000.0, False))
        self.assertFalse(service_invoice_due(today, date(2026, 3, 6), 10.0, 2000.0, False))
        # 2023, neither guarantee nor credit line: daily
        self.assertTrue(service_invoice_due(today, date(2026, 3, 19), 10.0, 0.0, False, daily_without_guarantee=True))
        self.assertFalse(service_invoice_due(today, date(2026, 3, 20), 10.0, 0.0, False, daily_without_guarantee=True))
        # 2023 with a credit line: back to 15 days
        self.assertFalse(service_invoice_due(today, date(2026, 3, 19), 10.0, 0.0, True, daily_without_guarantee=True))
        # before the first invoice, 15 days from the oldest uninvoiced work
        self.assertFalse(service_invoice_due(today, None, 10.0, 2000.0, False, first_work_date=date(2026, 3, 6)))
        self.assertTrue(service_invoice_due(today, None, 10.0, 2000.0, False, first_work_date=date(2026, 3, 5)))
        # nothing to invoice
        self.assertFalse(service_invoice_due(today, None, 0.0, 0.0, False, daily_without_guarantee=True))
