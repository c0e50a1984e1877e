from datetime import date

from odoo.tests import TransactionCase, tagged

from odoo.addons.coop_24pm_guarantee.models.guarantee_rules import (
    debit_presentation_date,
    late_interest,
    late_penalty,
    structured_communication,
)


@tagged("post_install", "-at_install")
class TestGuaranteeRules(TransactionCase):
    def test_art_6_4_interest_pro_rata_by_day(self):
        self.assertEqual(late_interest(1000.0, 45), 15.0)
        self.assertEqual(late_interest(1000.0, 30), 10.0)
        self.assertEqual(late_interest(600.0, 45), 9.0)
        self.assertEqual(late_interest(1234.56, 1), 0.41)
        self.assertEqual(late_interest(1000.0, 0), 0.0)
        self.assertEqual(late_interest(-5.0, 10), 0.0)

    def test_art_6_4_penalty_ten_percent_minimum_150(self):
        self.assertEqual(late_penalty(1000.0), 150.0)
        self.assertEqual(late_penalty(1500.0), 150.0)
        self.assertEqual(late_penalty(2345.67), 234.57)
        self.assertEqual(late_penalty(0.0), 0.0)

    def test_art_6_1_presentation_within_10_days_or_due_date(self):
        self.assertEqual(debit_presentation_date(date(2026, 2, 1), date(2026, 3, 3)), date(2026, 2, 11))
        self.assertEqual(debit_presentation_date(date(2026, 2, 1), date(2026, 2, 5)), date(2026, 2, 5))
        self.assertEqual(debit_presentation_date(date(2026, 2, 1), None), date(2026, 2, 11))

    def test_spec_7_2_belgian_structured_communication(self):
        # 654 -> check digits 72 (l10n_be's own example)
        self.assertEqual(structured_communication("+++000/0000/65472+++"), "+++000/0000/65472+++")
        self.assertEqual(structured_communication("000000065472"), "+++000/0000/65472+++")
        self.assertEqual(structured_communication("Paiement 000/0000/65472 merci"), "+++000/0000/65472+++")
        # a multiple of 97 takes 97 as its check digits
        self.assertEqual(structured_communication("000000009797"), "+++000/0000/09797+++")
        self.assertIsNone(structured_communication("+++000/0000/65473+++"))
        self.assertIsNone(structured_communication("Invoice INV/2026/00012"))
        self.assertIsNone(structured_communication(False))
