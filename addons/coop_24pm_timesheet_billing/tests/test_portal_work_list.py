"""Issue 16: the work done on the portal is a paged list (Odoo's portal pager) filtered by
project and period; its queries do not grow with the history; work beyond a recurring
task's budget says it is not billed (SPEC 5.1)."""

from datetime import timedelta

from odoo import fields, sql_db
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPortalWorkList(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.history = cls._make_billing_member("Brasserie Historique", start="2021-01-04")
        cls.history_project = cls.env["project.project"]._coop_projects_of(cls.history)
        cls.history_task = cls.env["project.task"].create({"name": "Bookkeeping", "project_id": cls.history_project.id})
        cls._make_agent(cls.history, "Agent Historique", "agent.historique@example.com", password="agent-hist-pass")
        cls.today = fields.Date.context_today(cls.env["account.analytic.line"])

    def _log_weeks(self, weeks_back_from, weeks_back_to, task=None):
        """One hour of work a week from ``weeks_back_from`` to ``weeks_back_to`` weeks ago."""
        task = task or self.history_task
        self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Week {week}",
                    "employee_id": self.medior.id,
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "unit_amount": 1.0,
                    "date": self.today - timedelta(weeks=week),
                }
                for week in range(weeks_back_to, weeks_back_from)
            ]
        )
        self.env.flush_all()

    def _queries(self, url):
        self.url_open(url)  # warm the caches
        before = sql_db.sql_counter
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return sql_db.sql_counter - before, response

    def test_work_list_queries_same_with_one_and_five_years(self):
        self.authenticate("agent.historique@example.com", "agent-hist-pass")
        url = f"/my/membership/{self.history.id}/work"
        self._log_weeks(52, 0)  # one year of weekly work
        one_year, page = self._queries(url)
        self.assertEqual(page.text.count('data-line-id="'), 50)
        self._log_weeks(5 * 52, 52)  # four more years
        five_years, page = self._queries(url)
        self.assertEqual(page.text.count('data-line-id="'), 50)
        self.assertEqual(five_years, one_year)
        # the last page of five years: 260 lines, 50 a page, 10 on the sixth
        last, page = self._queries(f"{url}/page/6")
        self.assertEqual(page.text.count('data-line-id="'), 10)
        self.assertEqual(last, one_year)

    def test_work_list_filters_by_period_and_project(self):
        other_project = self.env["project.project"].create(
            {
                "name": "Brasserie Historique - shop",
                "coop_membership_id": self.history.id,
                "coop_product_id": self.service.id,
                "allow_timesheets": True,
            }
        )
        shop_task = self.env["project.task"].create({"name": "Shop", "project_id": other_project.id})
        self._log_weeks(3 * 52, 0)
        self._log_weeks(2, 0, task=shop_task)
        self.authenticate("agent.historique@example.com", "agent-hist-pass")
        url = f"/my/membership/{self.history.id}/work"
        year_start = self.today.replace(month=1, day=1)
        last_year = self.env["account.analytic.line"].search_count(
            [
                ("project_id", "=", self.history_project.id),
                ("date", ">=", year_start.replace(year=year_start.year - 1)),
                ("date", "<", year_start),
            ]
        )
        page = self.url_open(f"{url}?filterby=last_year&project={self.history_project.id}")
        self.assertEqual(page.text.count('data-line-id="'), min(last_year, 50))
        self.assertNotIn(">Shop<", page.text.split("o_coop_work_lines")[1])
        page = self.url_open(f"{url}?project={other_project.id}")
        self.assertEqual(page.text.count('data-line-id="'), 2)
        # another member's project or garbage: all the member's own projects, nothing else
        page = self.url_open(f"{url}?project={self.project.id}&filterby=nonsense")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Brasserie Basique", page.text)
        self.assertEqual(page.text.count('data-line-id="'), 50)

    def test_work_beyond_budget_says_not_billed(self):
        monitoring = self.env["project.task"].create(
            {"name": "Monitoring", "project_id": self.history_project.id, "coop_budget_period": "month"}
        )
        month_start = self.today.replace(day=1)
        monitoring.action_coop_set_budget(1.0, today=month_start)
        within = self._log(self.medior, 60, month_start, task=monitoring)
        beyond = self._log(self.medior, 60, month_start, task=monitoring)
        self.assertEqual((within.coop_billable_hours, beyond.coop_billable_hours), (1.0, 0.0))
        self.assertEqual(beyond.coop_beyond_budget_hours, 1.0)
        self.authenticate("agent.historique@example.com", "agent-hist-pass")
        page = self.url_open(f"/my/membership/{self.history.id}/work")
        row = page.text.split(f'data-line-id="{beyond.id}"')[1].split("</tr>")[0]
        self.assertIn("Not billed: beyond the budget of the task", row)
        self.assertNotIn("next invoice", row)
        self.assertNotIn("0.00", row)
        row = page.text.split(f'data-line-id="{within.id}"')[1].split("</tr>")[0]
        self.assertIn("next invoice", row)

    def test_work_list_french_tour(self):
        self._log_weeks(60, 0)
        self._tour_as(
            "agent.historique@example.com", f"/my/membership/{self.history.id}/work", "coop_work_list_french_tour"
        )

    def test_work_pages_refuse_other_members_and_users_without_the_right(self):
        self._log_weeks(60, 0)
        self._make_agent(self.member, "Agent Basique", "agent.basique16@example.com", password="basique16-pass")
        self._make_agent(
            self.history, "Comptable", "compta.hist@example.com", projects=False, password="compta-hist-pass"
        )
        urls = [
            f"/my/membership/{self.history.id}/work/page/2?filterby=all",
            f"/my/membership/{self.history.id}/work?project={self.history_project.id}",
        ]
        self.authenticate("agent.basique16@example.com", "basique16-pass")
        for url in urls:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Brasserie Historique", response.text)
            self.assertNotIn("Bookkeeping", response.text)
        self.authenticate("compta.hist@example.com", "compta-hist-pass")
        for url in urls:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertNotIn("Bookkeeping", response.text)
