from contextlib import contextmanager
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.coop_billing_rules import data_storage_share
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

    @contextmanager
    def _refused(self):
        """Refused (assertRaises: its savepoint rolls back), the message naming the article."""
        with self.assertRaises(ValidationError) as refused:
            yield
        self.assertIn("Art. 5.6", str(refused.exception))

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


@tagged("post_install", "-at_install")
class TestDataStorageShare(CoopBillingCommon):
    """ROI 2021 art. 5.6: member's share = EOM / CTS x CT24PM (the formula, several members, the wizard)."""

    def test_formula(self):
        self.assertEqual(data_storage_share(12.5, 2000.0, 1176.00), 7.35)
        self.assertEqual(data_storage_share(1.0, 3.0, 100.0), 33.33)
        self.assertEqual(data_storage_share(2.0, 3.0, 100.0), 66.67)
        self.assertEqual(data_storage_share(0.0, 3.0, 100.0), 0.0)
        with self.assertRaises(ValueError):
            data_storage_share(1.0, 0.0, 100.0)
        with self.assertRaises(ValueError):
            data_storage_share(4.0, 3.0, 100.0)

    def test_monthly_expenses_of_several_members(self):
        other = self._make_billing_member("Stockage Sprl", self.basic_2021)
        Expense = self.env["coop.expense"]
        # 24PM paid EUR 250.00 for 800 GB used by all members in March 2026
        expenses = Expense._coop_create_data_storage_expenses(
            date(2026, 3, 15), {self.member: 37.2, other: 120.0}, 250.0, total_occupied=800.0
        )
        by_member = {e.membership_id: e for e in expenses}
        # 37.2 / 800 x 250 = 11.625 -> 11.63 ; 120 / 800 x 250 = 37.50 ; no margin
        self.assertRecordValues(
            by_member[self.member],
            [
                {
                    "expense_type": "data_storage",
                    "storage_month": date(2026, 3, 1),
                    "date": date(2026, 3, 31),
                    "price_unit": 11.63,
                    "margin": 0.0,
                    "amount": 11.63,
                }
            ],
        )
        self.assertEqual(by_member[other].amount, 37.50)
        self.assertEqual(self.member._get_uninvoiced_amount(), 11.63)
        # once per month: a second computation is refused and nothing changes
        with self.assertRaises(UserError):
            Expense._coop_create_data_storage_expenses(date(2026, 3, 1), {self.member: 10.0}, 250.0, 800.0)
        self.assertEqual(Expense.search_count([("membership_id", "=", self.member.id)]), 1)
        # bad figures are refused
        with self.assertRaises(UserError):
            Expense._coop_create_data_storage_expenses(date(2026, 4, 1), {self.member: 900.0}, 250.0, 800.0)
        with self.assertRaises(UserError):
            Expense._coop_create_data_storage_expenses(date(2026, 4, 1), {self.member: 9.0}, -1.0, 800.0)

    def test_total_defaults_to_the_members_given_and_invoiced(self):
        other = self._make_billing_member("Second Stock", self.basic_2021)
        expenses = self.env["coop.expense"]._coop_create_data_storage_expenses(
            date(2026, 3, 1), {self.member: 1.0, other: 3.0}, 99.99
        )
        self.assertEqual(sorted(expenses.mapped("amount")), [25.0, 74.99])  # 24.9975 / 74.9925
        invoice = self._billing_run(date(2026, 4, 2))
        mine = invoice.filtered(lambda m: m.coop_membership_id == self.member)
        self.assertEqual(mine.amount_untaxed, 25.0)
        line = mine.invoice_line_ids.filtered(lambda rec: rec.display_type == "product")
        self.assertIn("Member data storage", line.name)

    def test_wizard(self):
        wizard = Form(self.env["coop.data.storage.wizard"].with_context(default_membership_id=self.member.id))
        wizard.month = date(2026, 2, 10)
        wizard.occupied = 12.5
        wizard.total_occupied = 2000.0
        wizard.total_cost = 1176.0
        self.assertEqual(wizard.amount, 7.35)
        action = wizard.save().action_create_expense()
        expense = self.env["coop.expense"].browse(action["res_id"])
        self.assertEqual((expense.amount, expense.storage_month), (7.35, date(2026, 2, 1)))
