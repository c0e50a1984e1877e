from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestEstimates(CoopBillingCommon):
    def test_pm_warned_past_the_estimate(self):
        self.member.pm_id = self.staff
        task = self.env["project.task"].create({"name": "Logo", "project_id": self.project.id, "allocated_hours": 2.0})
        self._log(self.medior, 120, "2026-03-02", task=task)
        self.assertFalse(task.coop_estimate_warned)
        self._log(self.medior, 1, "2026-03-03", task=task)
        self.assertTrue(task.coop_estimate_warned)
        activity = task.activity_ids.filtered(lambda a: a.summary == "Estimate exceeded")
        self.assertEqual(activity.user_id, self.staff)
        # warned once only
        self._log(self.medior, 30, "2026-03-04", task=task)
        self.assertEqual(len(task.activity_ids.filtered(lambda a: a.summary == "Estimate exceeded")), 1)

    def test_beyond_three_times_the_estimate_refused(self):
        task = self.env["project.task"].create({"name": "Logo", "project_id": self.project.id, "allocated_hours": 2.0})
        self._log(self.medior, 345, "2026-03-02", task=task)  # 5.75 h
        self._log(self.medior, 15, "2026-03-03", task=task)  # 6.00 h = 3 x 2 h: still allowed
        with self.assertRaises(ValidationError) as refused:
            self._log(self.medior, 1, "2026-03-04", task=task)  # a started quarter: 6.25 h
        self.assertIn("may not exceed 3.0 times the estimate", str(refused.exception))
        lines = self.env["account.analytic.line"].search([("task_id", "=", task.id)])
        self.assertEqual(sum(lines.mapped("coop_rounded_hours")), 6.0)
        line = lines[:1]
        with self.assertRaises(ValidationError):
            line.unit_amount += 1.0

    def test_collaborator_logs_on_an_estimated_task(self):
        """Replay finding (issue 18, session 12): a collaborator who is only a timesheet user
        (not 24PM staff) logs time on an estimated task; the 3x check reads the member's
        regulation, which the collaborator may not read: it was refused with an access error
        whenever the regulation was not in the transaction's cache yet."""
        user = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Colette Collaborator",
                    "login": "colette.collaborator@24pm.be",
                    "group_ids": [
                        Command.set(
                            [
                                self.env.ref("base.group_user").id,
                                self.env.ref("hr_timesheet.group_hr_timesheet_user").id,
                            ]
                        )
                    ],
                }
            )
        )
        employee = self.env["hr.employee"].create(
            {"name": user.name, "user_id": user.id, "coop_category_id": self.cat_medior.id}
        )
        task = self.env["project.task"].create({"name": "Logo", "project_id": self.project.id, "allocated_hours": 2.0})
        self.env.invalidate_all()
        line = (
            self.env["account.analytic.line"]
            .with_user(user)
            .create(
                {
                    "name": "Logo: draft",
                    "employee_id": employee.id,
                    "project_id": self.project.id,
                    "task_id": task.id,
                    "unit_amount": 1.5,
                    "date": "2026-03-02",
                }
            )
        )
        self.assertEqual(line.sudo().coop_rounded_hours, 1.5)


@tagged("post_install", "-at_install")
class TestRecurringBudgets(CoopBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recurring = cls.env["project.task"].create(
            {"name": "Social media", "project_id": cls.project.id, "coop_budget_period": "month"}
        )

    def test_time_beyond_budget_kept_not_billed(self):
        self.recurring.action_coop_set_budget(10.0, today=date(2026, 3, 2))
        self._log(self.medior, 9 * 60, "2026-03-05", task=self.recurring)
        line = self._log(self.medior, 120, "2026-03-06", task=self.recurring)
        self.assertRecordValues(
            line,
            [
                {
                    "coop_rounded_hours": 2.0,
                    "coop_billable_hours": 1.0,
                    "coop_beyond_budget_hours": 1.0,
                    "coop_amount": 82.80,
                }
            ],
        )
        beyond = self._log(self.medior, 60, "2026-03-07", task=self.recurring)
        self.assertEqual((beyond.coop_billable_hours, beyond.coop_amount), (0.0, 0.0))
        self.assertEqual(self.member._get_uninvoiced_amount(), 828.00)  # 10 h x 82.80

    def test_decrease_applies_from_next_period(self):
        self.recurring.action_coop_set_budget(10.0, today=date(2026, 3, 2))
        self._log(self.medior, 6 * 60, "2026-03-05", task=self.recurring)
        budget = self.recurring.action_coop_set_budget(5.0, today=date(2026, 3, 20))
        self.assertEqual(budget.date_from, date(2026, 4, 1))
        march = self._log(self.medior, 120, "2026-03-21", task=self.recurring)
        self.assertEqual((march.coop_billable_hours, march.coop_beyond_budget_hours), (2.0, 0.0))
        april = self._log(self.medior, 6 * 60, "2026-04-02", task=self.recurring)
        self.assertEqual((april.coop_billable_hours, april.coop_beyond_budget_hours), (5.0, 1.0))
        self.assertEqual(april.coop_amount, 414.00)

    def test_increase_applies_at_once(self):
        self.recurring.action_coop_set_budget(5.0, today=date(2026, 3, 2))
        self._log(self.medior, 5 * 60, "2026-03-05", task=self.recurring)
        budget = self.recurring.action_coop_set_budget(8.0, today=date(2026, 3, 10))
        self.assertEqual(budget.date_from, date(2026, 3, 1))
        line = self._log(self.medior, 120, "2026-03-11", task=self.recurring)
        self.assertEqual((line.coop_billable_hours, line.coop_beyond_budget_hours), (2.0, 0.0))

    def test_negative_budget_refused(self):
        with self.assertRaises(UserError):
            self.recurring.action_coop_set_budget(-1.0, today=date(2026, 3, 2))
        self.assertFalse(self.recurring.coop_budget_ids)
