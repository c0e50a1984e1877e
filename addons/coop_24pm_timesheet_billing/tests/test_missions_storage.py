from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import float_compare

from ..models.coop_billing_rules import data_storage_share
from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPlannedMissions(CoopBillingCommon):
    """SPEC 5.1 / FAQ: a planned mission is booked and billed; cancelled and the
    collaborators reassigned, the cancellation is not billed."""

    def _mission(self, hours=4.0, employees=None):
        return self.env["project.task"].create(
            {
                "name": "Workshop on site",
                "project_id": self.project.id,
                "coop_mission_date": "2026-03-12",
                "coop_mission_hours": hours,
                "coop_mission_employee_ids": [(6, 0, (employees or self.medior | self.junior).ids)],
            }
        )

    def _invoice(self, today):
        return self._billing_run(today)

    def test_cancelled_and_reassigned_not_billed(self):
        mission = self._mission()
        self.assertEqual(mission.coop_mission_state, "planned")
        lines = mission.action_coop_cancel_mission_reassigned()
        self.assertFalse(lines)
        self.assertEqual(mission.coop_mission_state, "cancelled_reassigned")
        self.assertEqual(mission.state, "1_canceled")
        self.assertFalse(mission.timesheet_ids)
        self.assertEqual(self.member._get_uninvoiced_amount(), 0.0)
        self.assertFalse(self._invoice(date(2026, 3, 31)))

    def test_cancelled_not_reassigned_bills_the_booked_time(self):
        mission = self._mission(hours=3.5)
        lines = mission.action_coop_cancel_mission_billed()
        self.assertEqual(mission.coop_mission_state, "cancelled_billed")
        # 3.5 h x EUR 60 x 1.38 = 289.80 (medior) ; 3.5 h x EUR 45 x 1.38 = 217.35 (junior)
        self.assertEqual(sorted(lines.mapped("coop_amount")), [217.35, 289.80])
        self.assertEqual(set(lines.mapped("date")), {date(2026, 3, 12)})
        self.assertEqual(self.member._get_uninvoiced_amount(), 507.15)
        invoice = self._invoice(date(2026, 3, 31))
        self.assertEqual(float_compare(invoice.amount_untaxed, 507.15, precision_digits=2), 0)
        self.assertEqual(lines.coop_invoice_id, invoice)

    def test_booked_time_rounded_to_the_quarter(self):
        mission = self._mission(hours=50 / 60, employees=self.medior)  # 50 minutes booked -> 1.00 h
        lines = mission.action_coop_cancel_mission_billed()
        self.assertEqual((lines.coop_billable_hours, lines.coop_amount), (1.0, 82.80))

    def test_cancel_only_once_and_only_a_planned_mission(self):
        mission = self._mission()
        mission.action_coop_cancel_mission_billed()
        with self.assertRaises(UserError):
            mission.action_coop_cancel_mission_reassigned()
        with self.assertRaises(UserError):
            mission.action_coop_cancel_mission_billed()
        self.assertEqual(len(mission.timesheet_ids), 2)
        not_planned = self.env["project.task"].create({"name": "No booking", "project_id": self.project.id})
        self.assertFalse(not_planned.coop_mission_state)
        with self.assertRaises(UserError):
            not_planned.action_coop_cancel_mission_billed()


@tagged("post_install", "-at_install")
class TestDataStorageShare(CoopBillingCommon):
    """ROI 2021 art. 5.6: member's share = EOM / CTS x CT24PM."""

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
