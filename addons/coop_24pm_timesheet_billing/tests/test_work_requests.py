from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestWorkRequests(CoopBillingCommon):
    def test_portal_request_needs_explicit_tariff_acceptance(self):
        Task = self.env["project.task"]
        count = Task.search_count([("project_id", "=", self.project.id)])
        with self.assertRaises(UserError):
            Task._coop_create_request(self.member, "Landing page", origin="portal", tariff_accepted=False)
        with self.assertRaises(UserError):
            Task._coop_create_request(
                self.member, "Landing page", rso="Hosting rules", origin="portal", tariff_accepted=True
            )
        self.assertEqual(Task.search_count([("project_id", "=", self.project.id)]), count)
        task = Task._coop_create_request(
            self.member, "Landing page", rso="Hosting rules", origin="portal", tariff_accepted=True, rso_accepted=True
        )
        self.assertEqual(task.coop_request_state, "accepted")
        self.assertTrue(task.coop_tariff_accepted_date and task.coop_rso_accepted_date)
        self.assertEqual(task.project_id, self.project)

    def test_pm_request_rso_accepted_after_5_days(self):
        agent = self._make_agent(self.member, "Paul Projects", "paul@basique.example.com", finance=False, projects=True)
        task = self.env["project.task"]._coop_create_request(
            self.member, "Newsletter", rso="Sending rules", origin="pm", today=date(2026, 3, 2)
        )
        self.assertEqual(task.coop_request_state, "rso_pending")
        self.assertEqual(task.coop_rso_auto_accept_date, date(2026, 3, 7))
        self.assertIn("Sending rules", task.coop_rso)
        # SPEC 7.3: the confirmation goes to the agent with the projects right
        message = task.message_ids.filtered(lambda m: "accepted by default" in (m.body or ""))
        self.assertEqual(message.partner_ids, agent.partner_id)
        # the rules themselves and the link to read and accept them on the portal (issue 16)
        self.assertIn('style="padding-left:8px"><p>Sending rules</p></div>', message.body)
        self.assertIn("accepted by default on 03/07/2026", message.body)
        self.assertIn(f"/my/membership/{self.member.id}/work#coop-task-{task.id}", message.body)
        with freeze_time("2026-03-06"):
            self.env["project.task"]._cron_coop_accept_rso()
        self.assertEqual(task.coop_request_state, "rso_pending")
        with freeze_time("2026-03-07"):
            self.env["project.task"]._cron_coop_accept_rso()
        self.assertEqual(task.coop_request_state, "accepted")

    def test_rso_delay_is_the_regulations(self):
        """Issue 21: the days to react to an RSO are a parameter of the member's regulation."""
        self.member.regulation_id.rso_accept_days = 8
        task = self.env["project.task"]._coop_create_request(
            self.member, "Newsletter", rso="Sending rules", origin="pm", today=date(2026, 3, 2)
        )
        self.assertEqual(task.coop_rso_auto_accept_date, date(2026, 3, 10))

    def test_pm_request_accepted_at_once_through_the_link(self):
        task = self.env["project.task"]._coop_create_request(self.member, "Audit", rso="Rules", origin="pm")
        task.action_coop_accept_rso()
        self.assertEqual(task.coop_request_state, "accepted")
        with self.assertRaises(UserError):
            task.action_coop_accept_rso()
