"""ROI 2019 art. 3 on the portal: the affiliate's agent holding the management right signs
the transfer contract; another agent of the member is refused (403), another member's
agent does not see it (404)."""

from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestArtRoi2019_3AffiliatesPortal(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.atelier = cls._make_company("Atelier Portail SRL", vat="BE0477472701", lang="fr_BE")
        with freeze_time("2020-03-02"):
            cls.affiliate = cls._make_member(cls.atelier, date="2020-03-02", regulation=cls.roi_2019, activate=False)
        cls.manager = Partner._coop_create_agent(
            cls.atelier, "Luc Gérant", "luc.portail@example.com", agents=True, password="luc-portail-pass"
        )
        Partner._coop_create_agent(
            cls.atelier, "Fanny Finances", "fanny.portail@example.com", password="fanny-portail-pass"
        )
        other = cls._make_company("Autre Portail SRL", vat="BE0403170701")
        Partner._coop_create_agent(
            other, "Otto Autre", "otto.portail@example.com", agents=True, password="otto-portail-pass"
        )
        cls.transfer = cls.env["coop.membership.transfer"].create(
            {
                "membership_id": cls.affiliate.id,
                "new_regulation_id": cls.roi_2023.id,
                "date_transfer": "2024-01-01",
            }
        )
        cls.transfer.action_send()

    def _url(self, suffix=""):
        return f"/my/membership/{self.affiliate.id}/transfer/{self.transfer.id}{suffix}"

    def _sign(self, has_power=True):
        data = {
            "signatory_name": "Luc Gérant",
            "signatory_capacity": "Gérant",
            "csrf_token": http.Request.csrf_token(self),
        }
        if has_power:
            data["has_power"] = "1"
        return self.url_open(self._url("/sign"), data=data)

    def test_agent_without_management_right_refused(self):
        self.authenticate("fanny.portail@example.com", "fanny-portail-pass")
        page = self.url_open(self._url())
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_coop_transfer_sign", page.text)
        self.assertEqual(self._sign().status_code, 403)
        self.assertRecordValues(self.transfer, [{"state": "sent", "date_signed": False}])
        self.assertEqual(self.affiliate.regulation_id, self.roi_2019)

    def test_another_member_gets_404(self):
        self.authenticate("otto.portail@example.com", "otto-portail-pass")
        for url in (self._url(), self._url("/contract")):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Atelier Portail SRL", response.text)
        self.assertEqual(self._sign().status_code, 404)
        self.assertEqual(self.transfer.state, "sent")

    def test_record_rules_keep_the_transfer_to_its_member(self):
        Users = self.env["res.users"]
        other = Users.search([("login", "=", "otto.portail@example.com")])
        fanny = Users.search([("login", "=", "fanny.portail@example.com")])
        with self.assertRaises(AccessError):
            self.transfer.with_user(other).read(["state"])
        self.assertFalse(self.env["coop.membership.transfer"].with_user(other).search([]))
        # its own member's agents read it, and change it only through the portal's signature
        self.assertEqual(self.transfer.with_user(fanny).read(["state"])[0]["state"], "sent")
        with self.assertRaises(AccessError):
            self.transfer.with_user(self.manager).write({"state": "done"})
        self.assertEqual(self.transfer.state, "sent")

    def test_signature_without_power_refused(self):
        self.authenticate("luc.portail@example.com", "luc-portail-pass")
        page = self._sign(has_power=False)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_coop_error", page.text)
        self.assertRecordValues(self.transfer, [{"state": "sent", "date_signed": False}])

    def test_french_tour_agent_signs_the_transfer(self):
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.manager.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.affiliate.id}",
            "coop_affiliate_transfer_tour",
            login="luc.portail@example.com",
        )
        self.assertRecordValues(
            self.transfer,
            [
                {
                    "state": "done",
                    "signatory_name": "Luc Gérant",
                    "signatory_capacity": "Gérant",
                    "signed_by_user_id": self.manager.id,
                    "sign_channel": "portal",
                }
            ],
        )
        self.assertRecordValues(self.affiliate, [{"regulation_id": self.roi_2023.id, "b_shares": 1}])
