from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestArt56MemberDataStorage(CoopBillingCommon):
    """Art. 5.6: the member's regulation decides how the storage of its data is billed:
    ROI 2021 its share EOM / CTS x CT24PM, ROI 2023 at cost without margin; the other
    path is refused naming the article, and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_2023 = cls._make_billing_member("Stockage 2023", cls.basic_2023)

    def _refused(self):
        test = self

        class Refused:
            def __enter__(self):
                self.cm = test.assertRaises(ValidationError)
                self.ctx = self.cm.__enter__()

            def __exit__(self, *exc):
                res = self.cm.__exit__(*exc)
                test.assertIn("Art. 5.6", str(self.ctx.exception))
                return res

        return Refused()

    def _wizard(self, membership):
        return Form(self.env["coop.data.storage.wizard"].with_context(default_membership_id=membership.id))

    def _storage_line(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda rec: rec.display_type == "product")

    def test_2021_share_invoiced_on_a_posted_line(self):
        wizard = self._wizard(self.member)
        self.assertFalse(wizard.storage_at_cost)
        wizard.month = date(2026, 2, 10)
        wizard.occupied = 12.5
        wizard.total_occupied = 2000.0
        wizard.total_cost = 1176.0
        self.assertEqual(wizard.amount, 7.35)  # 12.5 / 2000 x 1,176.00 = 7.35
        expense = self.env["coop.expense"].browse(wizard.save().action_create_expense()["res_id"])
        self.assertRecordValues(expense, [{"expense_type": "data_storage", "margin": 0.0, "amount": 7.35}])
        invoice = self._invoice_members(self.member, date(2026, 3, 2))
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 7.35)
        self.assertEqual(self._storage_line(invoice).price_subtotal, 7.35)
        self.assertEqual(expense.invoice_id, invoice)

    def test_2023_at_cost_without_margin_invoiced_on_a_posted_line(self):
        wizard = self._wizard(self.member_2023)
        self.assertTrue(wizard.storage_at_cost)
        wizard.month = date(2026, 2, 1)
        wizard.cost = 18.40
        self.assertEqual(wizard.amount, 18.40)
        expense = self.env["coop.expense"].browse(wizard.save().action_create_expense()["res_id"])
        # the Basic 2023 plan has a 38 % margin: none on data storage
        self.assertEqual(self.member_2023._get_plan_margin(date(2026, 2, 1)), 0.38)
        self.assertRecordValues(
            expense,
            [{"storage_month": date(2026, 2, 1), "price_unit": 18.40, "margin": 0.0, "amount": 18.40}],
        )
        invoice = self._invoice_members(self.member_2023, date(2026, 3, 2))
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 18.40)
        self.assertEqual(self._storage_line(invoice).price_subtotal, 18.40)

    def test_share_refused_for_a_2023_member(self):
        Expense = self.env["coop.expense"]
        with self._refused():
            Expense._coop_create_data_storage_expenses(date(2026, 3, 1), {self.member_2023: 10.0}, 100.0, 50.0)
        with self._refused():
            Expense._coop_create_data_storage_expenses(
                date(2026, 3, 1), {self.member: 10.0, self.member_2023: 10.0}, 100.0, 50.0
            )
        self.assertEqual(Expense.search_count([("expense_type", "=", "data_storage")]), 0)

    def test_at_cost_refused_for_a_2021_member(self):
        Expense = self.env["coop.expense"]
        with self._refused():
            Expense._coop_create_data_storage_at_cost(date(2026, 3, 1), {self.member: 18.40})
        # nor typed in by hand as an expense at cost
        with self._refused():
            Expense.create(
                {
                    "membership_id": self.member.id,
                    "name": "Storage",
                    "expense_type": "data_storage",
                    "unit_cost": 7.35,
                    "date": "2026-03-02",
                }
            )
        wizard = self._wizard(self.member)
        wizard.month = date(2026, 3, 1)
        wizard.occupied, wizard.total_occupied, wizard.total_cost = 1.0, 0.0, 10.0
        with self.assertRaises(UserError):  # CTS zero: the formula has no meaning
            wizard.save().action_create_expense()
        self.assertEqual(Expense.search_count([("membership_id", "=", self.member.id)]), 0)

    def test_at_cost_once_a_month_and_positive(self):
        Expense = self.env["coop.expense"]
        Expense._coop_create_data_storage_at_cost(date(2026, 3, 5), {self.member_2023: 9.99})
        with self.assertRaises(UserError):
            Expense._coop_create_data_storage_at_cost(date(2026, 3, 20), {self.member_2023: 5.0})
        with self.assertRaises(UserError):
            Expense._coop_create_data_storage_at_cost(date(2026, 4, 1), {self.member_2023: -5.0})
        self.assertEqual(Expense.search([("membership_id", "=", self.member_2023.id)]).mapped("amount"), [9.99])
