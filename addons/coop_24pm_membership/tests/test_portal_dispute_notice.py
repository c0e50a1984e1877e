"""Issue 16, art. 11.1: when its contest of a new regulation persists, the member ends
the contract with 15 days' notice from its portal (the management right)."""

from datetime import date

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestPortalDisputeNotice(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        company = cls._make_company("Conteste SRL", vat="BE0477472701")
        cls.manager = Partner._coop_create_agent(
            company, "Marc Gérant", "marc.gerant@example.com", agents=True, password="marc-gerant-pass"
        )
        Partner._coop_create_agent(
            company,
            "Paul Projets",
            "paul.conteste@example.com",
            finance=False,
            projects=True,
            password="paul-conteste-pass",
        )
        cls.membership = cls._make_member(company, regulation=cls.roi_2021)
        cls.change = cls.membership._notify_regulation_change(cls.roi_2023)
        other_company = cls._make_company("Autre SRL", vat="BE0403170701")
        Partner._coop_create_agent(
            other_company, "Otto Autre", "otto.conteste@example.com", agents=True, password="otto-conteste-pass"
        )
        cls.other = cls._make_member(other_company, regulation=cls.roi_2021)

    def _post(self, membership, change):
        return self.url_open(
            f"/my/membership/{membership.id}/dispute-notice",
            data={"model": change._name, "res_id": change.id, "csrf_token": http.Request.csrf_token(self)},
        )

    def test_persisting_contest_ends_with_15_days_notice(self):
        self.authenticate("marc.gerant@example.com", "marc-gerant-pass")
        # not contested yet: no button, and the route refuses it
        self.assertNotIn("o_coop_dispute_notice", self.url_open(f"/my/membership/{self.membership.id}").text)
        self.assertIn("persists", self._post(self.membership, self.change).text)
        self.assertEqual(self.membership.state, "active")
        self.change.action_contest("The new guarantee rules do not suit us")
        page = self.url_open(f"/my/membership/{self.membership.id}").text
        self.assertIn("o_coop_dispute_notice", page)
        self._post(self.membership, self.change)
        today = date.today()
        self.assertEqual(self.membership.state, "notice")
        self.assertRecordValues(self.membership.termination_id, [{"notice_given_by": "member", "notice_days": 15}])
        self.assertEqual((self.membership.date_end - today).days, 15)
        self.assertEqual(self.membership.termination_id.date_notice, today)
        # staff: the contest and the notice each give the PM an activity
        self.assertEqual(
            sorted(self.membership.activity_ids.mapped("summary")),
            ["Acknowledge the notice of termination", "Answer the contest of the new regulation ROI 2023"],
        )

    def test_rights_and_another_member(self):
        self.change.action_contest("The new guarantee rules do not suit us")
        self.authenticate("paul.conteste@example.com", "paul-conteste-pass")
        self.assertEqual(self._post(self.membership, self.change).status_code, 403)
        self.authenticate("otto.conteste@example.com", "otto-conteste-pass")
        response = self._post(self.membership, self.change)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Conteste SRL", response.text)
        # its own membership with our contest: refused, nothing changes
        self.assertIn("does not concern your membership", self._post(self.other, self.change).text)
        self.assertEqual((self.membership.state, self.other.state), ("active", "active"))

    def test_french_tour_end_with_15_days_notice(self):
        self.change.action_contest("Les nouvelles règles de garantie ne nous conviennent pas")
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.manager.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.membership.id}",
            "coop_dispute_notice_tour",
            login="marc.gerant@example.com",
        )
        self.assertEqual(self.membership.state, "notice")
        self.assertEqual(self.membership.termination_id.notice_days, 15)

    def test_french_tour_contest_a_new_regulation(self):
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.manager.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.membership.id}", "coop_contest_tour", login="marc.gerant@example.com"
        )
        self.assertRecordValues(
            self.change,
            [{"state": "contested", "contest_reason": "Les nouvelles règles de garantie ne nous conviennent pas"}],
        )
