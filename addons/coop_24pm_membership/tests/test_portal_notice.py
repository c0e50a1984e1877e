"""Issue 16, art. 4.4.1: the member gives notice of termination from the portal: refused
when shorter than the notice period; the end date and what will be settled are shown;
the membership's own action runs, the agents are told, the PM gets an activity."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from ..models.coop_rules import commitment_year_end
from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestPortalNotice(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pm = cls.env["res.users"].create(
            {
                "name": "Paul PM",
                "login": "paul.pm16@example.com",
                "group_ids": [(6, 0, [cls.env.ref("base.group_user").id])],
            }
        )
        cls.member_a = cls._make_member(cls._make_company("Membre A SRL", vat="BE0477472701"))
        cls.member_b = cls._make_member(cls._make_company("Membre B SRL", vat="BE0403170701"), pm_id=cls.pm.id)
        Partner = cls.env["res.partner"]
        cls.manager_b = Partner._coop_create_agent(
            cls.member_b.partner_id, "Gérante B", "gerante.n@example.com", agents=True, password="gerante-n-pass"
        )
        cls.plain_b = Partner._coop_create_agent(
            cls.member_b.partner_id, "Comptable B", "comptable.n@example.com", password="compta-n-pass"
        )
        cls.agent_a = Partner._coop_create_agent(
            cls.member_a.partner_id, "Agent A", "agent.an@example.com", agents=True, password="agent-an-pass"
        )
        cls.today = fields.Date.context_today(cls.member_b)

    def _post(self, url, **data):
        return self.url_open(url, data={**data, "csrf_token": Request.csrf_token(self)})

    def _notices(self, membership):
        return self.env["coop.notice"].search([("membership_id", "=", membership.id), ("kind", "=", "notice")])

    def _activities(self, membership):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "coop.membership"),
                ("res_id", "=", membership.id),
                ("user_id", "=", self.pm.id),
                ("summary", "=", "Acknowledge the notice of termination"),
            ]
        )

    def test_notice_shorter_than_the_period_is_refused(self):
        self.authenticate("gerante.n@example.com", "gerante-n-pass")
        url = f"/my/membership/{self.member_b.id}/notice"
        earliest = self.today + relativedelta(months=1)
        page = self._post(url, date_end=str(earliest - relativedelta(days=1)))
        self.assertIn("does not allow an end on", page.text)
        self.assertIn("at the earliest", page.text)
        self.assertEqual(self.member_b.state, "active")
        self.assertFalse(self._notices(self.member_b))
        self.assertFalse(self._activities(self.member_b))

    def test_member_gives_notice_and_staff_see_it(self):
        self.authenticate("gerante.n@example.com", "gerante-n-pass")
        url = f"/my/membership/{self.member_b.id}/notice"
        page = self.url_open(url)
        earliest = self.today + relativedelta(months=1)
        self.assertIn(f'min="{earliest}"', page.text)
        # what the end settles: the B share bought back at EUR 1.00
        self.assertIn("Your B share bought back by 24PM", page.text)
        asked = earliest + relativedelta(days=10)
        page = self._post(url, date_end=str(asked))
        self.assertIn("Your notice of termination is recorded", page.text)
        self.assertRecordValues(
            self.member_b,
            [{"state": "notice", "date_end": asked}],
        )
        self.assertRecordValues(
            self.member_b.termination_id, [{"notice_given_by": "member", "date_notice": self.today}]
        )
        notice = self._notices(self.member_b)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.recipient_ids, self.manager_b.partner_id | self.plain_b.partner_id)
        activity = self._activities(self.member_b)
        self.assertEqual(len(activity), 1)
        self.assertIn("Gérante B gave notice of termination from the portal", activity.note)
        # a second click: refused with the recorded end date, nothing written
        page = self._post(url, date_end=str(asked + relativedelta(days=5)))
        self.assertIn("already recorded", page.text)
        self.assertEqual(self.member_b.date_end, asked)
        self.assertEqual(len(self._notices(self.member_b)), 1)
        self.assertEqual(len(self._activities(self.member_b)), 1)

    def test_annual_commitment_ends_with_a_commitment_year(self):
        member = self._make_member(
            self._make_company("Annuel SRL", vat="BE0417497106"), commitment="annual", pm_id=self.pm.id
        )
        self.env["res.partner"]._coop_create_agent(
            member.partner_id, "Gérant Annuel", "gerant.annuel@example.com", agents=True, password="annuel-pass"
        )
        start = member.date_start
        earliest = self.env["coop.membership.termination"]._notice_end_date(member)
        year_end = commitment_year_end(start, self.today)
        # three months before the end of the current year, else the next year
        expected = (
            year_end
            if self.today < year_end + relativedelta(days=1, months=-3)
            else (commitment_year_end(start, year_end + relativedelta(days=1)))
        )
        self.assertEqual(earliest, expected)
        self.authenticate("gerant.annuel@example.com", "annuel-pass")
        url = f"/my/membership/{member.id}/notice"
        page = self._post(url, date_end=str(earliest - relativedelta(days=1)))
        self.assertIn("at the earliest", page.text)
        self.assertEqual(member.state, "active")
        # a date inside a later commitment year ends the contract with that year
        self._post(url, date_end=str(earliest + relativedelta(days=20)))
        self.assertEqual(member.date_end, commitment_year_end(start, earliest + relativedelta(days=20)))

    def test_routes_refuse_other_members_and_users_without_the_right(self):
        self.authenticate("gerante.n@example.com", "gerante-n-pass")
        url = f"/my/membership/{self.member_a.id}/notice"
        for response in (self.url_open(url), self._post(url, date_end=str(self.today + relativedelta(months=2)))):
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Membre A SRL", response.text)
        self.assertEqual(self.member_a.state, "active")
        self.authenticate("comptable.n@example.com", "compta-n-pass")
        url = f"/my/membership/{self.member_b.id}/notice"
        for response in (self.url_open(url), self._post(url, date_end=str(self.today + relativedelta(months=2)))):
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.member_b.state, "active")

    def test_french_tour_give_notice(self):
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.manager_b.partner_id.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.member_b.id}",
            "coop_notice_french_tour",
            login="gerante.n@example.com",
        )
        self.assertRecordValues(self.member_b, [{"state": "notice", "date_end": self.today + relativedelta(months=1)}])
