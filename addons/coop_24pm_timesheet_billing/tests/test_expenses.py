from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestExpenses(CoopBillingCommon):
    def _expense(self, kind, quantity, unit_cost=0.0):
        return self.env["coop.expense"].create(
            {
                "membership_id": self.member.id,
                "name": kind,
                "expense_type": kind,
                "quantity": quantity,
                "unit_cost": unit_cost,
                "date": "2026-03-02",
            }
        )

    def test_art_5_7_expense_prices(self):
        page = self._expense("page", 3)
        km = self._expense("km", 40)
        material = self._expense("material", 2, 50.0)
        media = self._expense("storage_media", 2, 180.0)
        self.assertEqual(page.amount, 12.00)  # EUR 4.00 per page
        self.assertEqual(km.amount, 20.00)  # EUR 0.50 per km
        self.assertEqual((material.margin, material.amount), (0.38, 138.00))  # purchase + 38 %
        self.assertEqual((media.price_unit, media.amount), (5.00, 10.00))  # 180 / 36 per month
        # member data storage (art. 5.6): test_art_5_6_member_data_storage
        self.assertEqual(self.member._get_uninvoiced_amount(), 180.00)
