from datetime import date

from odoo.tests import BaseCase, tagged

from ..models.coop_rules import commitment_year_end, fault_indemnity, normalize_vat, notice_end_date


@tagged("post_install", "-at_install")
class TestCoopRules(BaseCase):
    def test_art_4_4_1_monthly_notice_is_one_month(self):
        self.assertEqual(notice_end_date(date(2026, 3, 12), "monthly", date(2025, 1, 1)), date(2026, 4, 12))
        self.assertEqual(notice_end_date(date(2026, 1, 31), "monthly", date(2025, 1, 1)), date(2026, 2, 28))

    def test_art_4_4_1_annual_notice_three_months_before_year_end(self):
        start = date(2025, 4, 1)  # commitment years run 1 April - 31 March
        self.assertEqual(commitment_year_end(start, date(2026, 11, 25)), date(2027, 3, 31))
        # notice on 31 December: exactly 3 months before the year ends -> this year
        self.assertEqual(notice_end_date(date(2026, 12, 31), "annual", start), date(2027, 3, 31))
        # one day too late -> the contract runs one more year
        self.assertEqual(notice_end_date(date(2027, 1, 1), "annual", start), date(2028, 3, 31))

    def test_art_10_fault_indemnity_minimum(self):
        self.assertEqual(fault_indemnity(200.0), 1000.0)
        self.assertEqual(fault_indemnity(400.0), 1200.0)
        self.assertEqual(fault_indemnity(0.0), 1000.0)

    def test_art_2_1_7_vat_numbers(self):
        self.assertEqual(normalize_vat("BE 0477.472.701"), "BE0477472701")
        self.assertEqual(normalize_vat("0477472701", "BE"), "BE0477472701")
        self.assertEqual(normalize_vat("NL000099998B57"), "NL000099998B57")
        for bad in ("BE0477472702", "123", "", "FR00000000000"):
            with self.assertRaises(ValueError):
                normalize_vat(bad)
