from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestBillingPortal(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_agent(cls.member, "Agent Basique", "agent.basique@example.com", password="agent-basique-pass")
        other = cls._make_billing_member("Other Company", cls.basic_2021)
        cls.other = other
        cls.other_agent = cls._make_agent(other, "Agent Other", "agent.other@example.com", password="agent-other-pass")

    def test_member_requests_work_and_sees_upcoming_invoice_grow(self):
        url = f"/my/membership/{self.member.id}/work"
        self.authenticate("agent.basique@example.com", "agent-basique-pass")
        page = self.url_open(url)
        self.assertIn('data-amount="0.00"', page.text, page.text[:3000])
        self.start_tour(url, "coop_billing_portal_request_tour", login="agent.basique@example.com")
        task = self.env["project.task"].search([("name", "=", "New landing page")])
        self.assertEqual(task.project_id, self.project)
        self.assertEqual((task.coop_request_origin, task.coop_request_state), ("portal", "accepted"))
        self._log(self.medior, 60, "2026-03-02", task=task)
        self.start_tour(url, "coop_billing_portal_invoice_tour", login="agent.basique@example.com")

    def test_other_member_agent_gets_not_found(self):
        self._log(self.medior, 60, "2026-03-02")
        self.authenticate("agent.other@example.com", "agent-other-pass")
        response = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertEqual(response.status_code, 404)
        own = self.url_open(f"/my/membership/{self.other.id}/work")
        self.assertEqual(own.status_code, 200)
        self.assertNotIn("Website", own.text)

    def test_rso_read_and_accepted_on_the_work_page(self):
        """Issue 16, art. 5.2: the RSO of a request registered by the PM is shown on the work
        page, where the e-mail's link leads, and accepted there; another member's agent
        accepts nothing."""
        task = self.env["project.task"]._coop_create_request(
            self.member, "Hosting", rso="Backups every night\nNo root access", origin="pm"
        )
        url = f"/my/membership/{self.member.id}/work"
        self.authenticate("agent.other@example.com", "agent-other-pass")
        response = self.url_open(
            f"/my/membership/{self.member.id}/work-rso/{task.id}", data={"csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Backups every night", response.text)
        self.assertEqual(task.coop_request_state, "rso_pending")
        self.authenticate("agent.basique@example.com", "agent-basique-pass")
        page = self.url_open(url)
        self.assertIn(f'id="coop-task-{task.id}"', page.text)
        self.assertIn("Backups every night<br>", page.text)
        self.assertIn("No root access", page.text)
        self.url_open(
            f"/my/membership/{self.member.id}/work-rso/{task.id}", data={"csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(task.coop_request_state, "accepted")
        self.assertIn("Accepted on", self.url_open(url).text)

    def test_french_tour_accept_the_rso(self):
        task = self.env["project.task"]._coop_create_request(
            self.member, "Hébergement", rso="Sauvegardes chaque nuit", origin="pm"
        )
        self._tour_as(
            "agent.basique@example.com",
            f"/my/membership/{self.member.id}/work#coop-task-{task.id}",
            "coop_rso_accept_tour",
        )
        self.assertEqual(task.coop_request_state, "accepted")

    def test_agent_of_another_member_cannot_read_expenses_or_budgets(self):
        expense = self.env["coop.expense"].create(
            {"membership_id": self.member.id, "name": "Copies", "expense_type": "page", "quantity": 2}
        )
        recurring = self.env["project.task"].create(
            {"name": "Monitoring", "project_id": self.project.id, "coop_budget_period": "week"}
        )
        budget = recurring.action_coop_set_budget(4.0)
        with self.assertRaises(AccessError):
            expense.with_user(self.other_agent).read(["amount"])
        with self.assertRaises(AccessError):
            budget.with_user(self.other_agent).read(["hours"])
        with self.assertRaises(AccessError):
            self.env["coop.expense"].with_user(self.other_agent).create(
                {"membership_id": self.other.id, "name": "x", "expense_type": "page", "quantity": 1}
            )

    def test_work_page_queries_do_not_grow_with_history(self):
        self.authenticate("agent.basique@example.com", "agent-basique-pass")
        url = f"/my/membership/{self.member.id}/work"
        self._log(self.medior, 60, "2026-03-02")
        self.url_open(url)  # warm the caches
        self.env.flush_all()
        from odoo import sql_db

        before = sql_db.sql_counter
        self.assertEqual(self.url_open(url).status_code, 200)
        few = sql_db.sql_counter - before
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "More",
                    "employee_id": self.medior.id,
                    "project_id": self.project.id,
                    "task_id": self.task.id,
                    "unit_amount": 0.5,
                    "date": f"2026-02-{day:02d}",
                }
                for day in range(1, 28)
            ]
        )
        self.env.flush_all()
        before = sql_db.sql_counter
        self.assertEqual(self.url_open(url).status_code, 200)
        many = sql_db.sql_counter - before
        self.assertLessEqual(many, few + 2)
