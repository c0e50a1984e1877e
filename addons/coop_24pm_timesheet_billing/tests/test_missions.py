from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import float_compare

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
