from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestStateGovernsWork(CoopBillingCommon, HttpCase):
    """SPEC 7.4, enforced where Odoo decides: requests and tasks, timesheets (hr_timesheet's
    _check_can_create / _check_can_write), service invoicing, the portal's work pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._make_agent(
            cls.member, "Agent Etat", "agent.etat@example.com", finance=False, projects=True, password="agent-etat-pass"
        )
        cls.finance_agent = cls._make_agent(
            cls.member,
            "Agent Finance",
            "agent.finance@example.com",
            finance=True,
            projects=False,
            password="agent-finance-pass",
        )
        cls.timesheet_user = new_test_user(
            cls.env,
            "coop_timesheet_approver",
            groups="hr_timesheet.group_hr_timesheet_approver,coop_24pm_membership.group_coop_user",
            company_id=cls.env.company.id,
        )

    def _suspend(self, day="2026-03-10"):
        with freeze_time(day):
            self.member.action_suspend(reason="Formal notice left unanswered (art. 4.3)")

    # ------------------------------------------------------------------
    # requests and new work
    # ------------------------------------------------------------------
    def test_request_from_suspended_member_refused_with_reason_nothing_created(self):
        self._suspend()
        Task = self.env["project.task"]
        before = Task.search_count([("project_id", "=", self.project.id)])
        with self.assertRaisesRegex(UserError, "is suspended since .*Formal notice left unanswered"):
            Task._coop_create_request(self.member, "Landing page", origin="portal", tariff_accepted=True)
        with self.assertRaisesRegex(UserError, "is suspended since"):
            Task.create({"name": "New work", "project_id": self.project.id})
        self.assertEqual(Task.search_count([("project_id", "=", self.project.id)]), before)

    def test_portal_request_from_suspended_member_refused(self):
        self._suspend()
        self.authenticate("agent.etat@example.com", "agent-etat-pass")
        response = self.url_open(
            f"/my/membership/{self.member.id}/work-request",
            data={"name": "Landing page", "tariff_accepted": "on", "csrf_token": Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertFalse(self.env["project.task"].search([("name", "=", "Landing page")]))
        page = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertEqual(page.status_code, 200)
        self.assertIn("read-only: Formal notice left unanswered", page.text)

    def test_active_member_request_accepted(self):
        task = self.env["project.task"]._coop_create_request(
            self.member, "Landing page", origin="portal", tariff_accepted=True
        )
        self.assertEqual(task.project_id, self.project)

    def test_notice_member_requests_until_end_date(self):
        self.member.action_give_notice("2026-03-02")
        end = self.member.date_end
        with freeze_time(end):
            task = self.env["project.task"]._coop_create_request(self.member, "Last", origin="pm")
        self.assertEqual(task.project_id, self.project)
        with freeze_time(end + timedelta(days=1)), self.assertRaisesRegex(UserError, "ends on"):
            self.env["project.task"]._coop_create_request(self.member, "Too late", origin="pm")
        self.assertFalse(self.env["project.task"].search([("name", "=", "Too late")]))

    def test_application_gets_no_work(self):
        """SPEC 7.4 row "application" (issue 15): an applicant has no membership, so no
        member project to log time in or to file a request on."""
        applicant = self.env["coop.membership.application"].create(
            {"partner_id": self._make_company("Candidat Travail SRL", vat="BE0448204039").id}
        )
        partner = applicant.partner_id
        self.assertEqual(partner.coop_status, "applicant")
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))
        self.assertFalse(self.env["project.project"].search([("coop_membership_id.partner_id", "=", partner.id)]))

    # ------------------------------------------------------------------
    # timesheets
    # ------------------------------------------------------------------
    def test_timesheet_on_suspended_member_refused(self):
        self._suspend()
        before = self.env["account.analytic.line"].search_count([("project_id", "=", self.project.id)])
        with self.assertRaisesRegex(UserError, "unless a manager records why"):
            self._log(self.medior, 60, "2026-03-11")
        self.assertEqual(self.env["account.analytic.line"].search_count([("project_id", "=", self.project.id)]), before)

    def test_timesheet_of_work_before_suspension_accepted(self):
        self._suspend()
        line = self._log(self.medior, 60, "2026-03-09")
        self.assertEqual(line.coop_amount, 82.8)

    def test_manager_overrides_with_recorded_reason(self):
        self._suspend()
        line = self._log(self.medior, 60, "2026-03-11", coop_state_override_reason="Server down: urgent fix agreed")
        self.assertEqual(line.coop_state_override_reason, "Server down: urgent fix agreed")
        self.assertEqual(
            len(self.member.message_ids.filtered(lambda m: "Server down: urgent fix agreed" in (m.body or ""))), 1
        )

    def test_manager_creates_a_task_with_recorded_reason(self):
        self._suspend()
        Task = self.env["project.task"]
        with self.assertRaises(UserError):
            Task.create({"name": "Urgent fix", "project_id": self.project.id})
        task = Task.create(
            {
                "name": "Urgent fix",
                "project_id": self.project.id,
                "coop_state_override_reason": "Server down: fix agreed with the member",
            }
        )
        self.assertEqual(task.project_id, self.project)
        notes = self.member.message_ids.filtered(lambda m: "fix agreed with the member" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("Urgent fix", notes.body)

    def test_override_by_a_non_manager_refused(self):
        self._suspend()
        task = self.task.with_user(self.timesheet_user)
        with self.assertRaisesRegex(UserError, "Only a manager of the cooperative may log it"):
            self.env["account.analytic.line"].with_user(self.timesheet_user).create(
                {
                    "name": "Fix",
                    "employee_id": self.medior.id,
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "unit_amount": 1.0,
                    "date": "2026-03-11",
                    "coop_state_override_reason": "I think it is fine",
                }
            )

    def test_moving_time_after_the_suspension_refused(self):
        line = self._log(self.medior, 60, "2026-03-09")
        self._suspend()
        with self.assertRaisesRegex(UserError, "unless a manager records why"):
            line.date = "2026-03-12"
        self.assertEqual(str(line.date), "2026-03-09")

    def test_timesheet_after_notice_end_refused(self):
        self.member.action_give_notice("2026-03-02")
        end = self.member.date_end
        self._log(self.medior, 60, end)
        with self.assertRaisesRegex(UserError, "no time may be logged after it"):
            self._log(self.medior, 60, end + timedelta(days=1))

    def test_timesheet_on_terminated_member_refused(self):
        self.member.action_terminate("2026-03-31")
        with self.assertRaisesRegex(UserError, "is Terminated"):
            self._log(self.medior, 60, "2026-03-15")

    # ------------------------------------------------------------------
    # service invoicing
    # ------------------------------------------------------------------
    def test_suspended_member_billed_for_work_before_suspension_only(self):
        before = self._log(self.medior, 60, "2026-03-09")
        self._suspend()
        self._log(self.medior, 120, "2026-03-11", coop_state_override_reason="Agreed with the member")
        self.assertEqual(self.member._get_uninvoiced_amount(), 82.8)
        run = self.env["coop.billing.run"]._create_for_members(self.member, date=before.date + timedelta(days=20))
        run.action_process_now()
        invoices = run.line_ids.move_id
        self.assertEqual(len(invoices), 1, run.line_ids.mapped("message"))
        self.assertEqual(invoices.amount_untaxed, 82.8)
        self.member.action_resume()
        self.assertEqual(self.member._get_uninvoiced_amount(), 165.6)

    def test_service_domain_is_the_predicate(self):
        """The domain the billing searches with gives what the predicate says: here on the
        register entries (a member's records with a date)."""
        Line = self.env["coop.share.line"]
        entries = Domain("membership_id", "=", self.member.id) & Domain("operation", "=", "subscription")
        entry = Line.search(entries)
        self._suspend()
        Pricing = self.env["coop.service.pricing"]
        # the entry precedes the suspension
        self.member.suspension_id.date_suspended = entry.date + timedelta(days=1)
        self.assertEqual(Line.search(Pricing._coop_billable_service_domain("membership_id", "date") & entries), entry)
        self.member.suspension_id.date_suspended = entry.date
        self.assertFalse(Line.search(Pricing._coop_billable_service_domain("membership_id", "date") & entries))

    # ------------------------------------------------------------------
    # the projects right and the projects of the mandate
    # ------------------------------------------------------------------
    def test_agent_without_projects_right_gets_403(self):
        self.authenticate("agent.finance@example.com", "agent-finance-pass")
        for url in (
            "/my/tasks",
            "/my/projects",
            f"/my/tasks/{self.task.id}",
            "/my/timesheets",
            f"/my/membership/{self.member.id}/work",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertNotIn("Website", response.text, url)
        self.assertFalse(self.env["project.task"].with_user(self.finance_agent).search([]))

    def test_agent_limited_to_the_projects_of_its_mandate(self):
        other_project = self.env["project.project"].create(
            {"name": "Second project", "coop_membership_id": self.member.id, "coop_product_id": self.service.id}
        )
        other_task = self.env["project.task"].create({"name": "Intranet", "project_id": other_project.id})
        for project in (self.project, other_project):
            project.message_subscribe(partner_ids=self.agent.partner_id.ids)
        self.agent.partner_id.coop_allowed_project_ids = other_project
        Task = self.env["project.task"].with_user(self.agent)
        self.assertFalse(Task.search([("id", "=", self.task.id)]))
        self.assertEqual(
            self.agent.partner_id._coop_allowed_projects(self.env["project.project"]._coop_projects_of(self.member)),
            other_project,
        )
        # a portal request lands in a project of the mandate
        self.authenticate("agent.etat@example.com", "agent-etat-pass")
        self.url_open(
            f"/my/membership/{self.member.id}/work-request",
            data={"name": "Mandated work", "tariff_accepted": "on", "csrf_token": Request.csrf_token(self)},
        )
        self.assertEqual(self.env["project.task"].search([("name", "=", "Mandated work")]).project_id, other_project)
        self.assertTrue(other_task)
