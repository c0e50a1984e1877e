from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.smtp_catcher import SmtpCatcherMixin

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestProjectsNotices(SmtpCatcherMixin, CoopBillingCommon):
    """SPEC 7.3: requests, RSO and rate changes go to the agents with the projects right
    only, through Odoo's mail queue (a local SMTP catcher)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()
        Partner = cls.env["res.partner"]
        company = cls.member.partner_id
        cls.finance = Partner._coop_create_agent(
            company, "Fiona Finance", "fiona@basique.example.com", finance=True, projects=False
        ).partner_id
        cls.projects = Partner._coop_create_agent(
            company, "Paul Projects", "paul@basique.example.com", finance=False, projects=True
        ).partner_id

    def setUp(self):
        super().setUp()
        self._send_mail_queue()
        self.smtp.messages.clear()

    def test_rate_change_to_projects_agents(self):
        change = self.env["coop.rate.change"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "new_rate": 65.0}
        )
        with freeze_time("2026-03-01 09:00:00"):
            change.action_notify(today=date(2026, 3, 1))
            self._send_mail_queue()
        notice = self.member.notice_ids.filtered(lambda n: n.kind == "rate_change")
        self.assertRecordValues(
            notice, [{"right": "projects", "state": "delivered", "recipient_ids": self.projects.ids}]
        )
        self.assertEqual(self.smtp.recipients("@basique.example.com"), ["paul@basique.example.com"])

    def test_rate_change_in_the_members_language(self):
        self.member.partner_id.lang = "fr_BE"
        change = self.env["coop.rate.change"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "new_rate": 65.0}
        )
        with freeze_time("2026-03-01 09:00:00"):
            change.action_notify(today=date(2026, 3, 1))
        body = self.member.notice_ids.filtered(lambda n: n.kind == "rate_change").message_id.body
        self.assertIn("passe à 65,00&nbsp;€ de l'heure", body)  # the rate in the member's format, not "65.0"
        self.assertIn("16/03/2026", body)  # the date it applies from, not "2026-03-16"

    def test_request_confirmation_to_projects_agents(self):
        task = self.env["project.task"].create({"name": "Brewing log", "project_id": self.project.id})
        with freeze_time("2026-03-02 09:00:00"):
            task.action_coop_confirm_pm_request()
            self._send_mail_queue()
        notice = self.member.notice_ids.filtered(lambda n: n.kind == "projects")
        self.assertRecordValues(
            notice,
            [
                {
                    "res_model": "project.task",
                    "res_id": task.id,
                    "state": "delivered",
                    "recipient_ids": self.projects.ids,
                }
            ],
        )
        self.assertEqual(self.smtp.recipients("@basique.example.com"), ["paul@basique.example.com"])
