from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanPortal(CoopPlansCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_plan_member("Portal A SRL", cls.standard_2023, "2026-01-01")
        cls.member_b = cls._make_plan_member("Portal B SRL", cls.basic_2023, "2026-01-01")
        cls._make_agent_pair(cls.member_a, cls.member_b, "plan")
        cls.change_a = cls.env["coop.plan.change"].create(
            {"membership_id": cls.member_a.id, "new_plan_id": cls.partner_2023.id}
        )

    def test_agent_reads_only_its_member_rows(self):
        Change = self.env["coop.plan.change"]
        self.assertEqual(Change.with_user(self.agent_a).search([]), self.change_a)
        self.assertFalse(Change.with_user(self.agent_b).search([]))
        with self.assertRaises(AccessError):
            self.change_a.with_user(self.agent_b).read(["state"])
        with self.assertRaises(AccessError):
            self.change_a.with_user(self.agent_a).write({"new_amount": 1.0})

    def test_other_member_change_page_is_not_found(self):
        self.authenticate("plan.b@example.com", "plan-b-pass")
        response = self.url_open(f"/my/plan/change/{self.change_a.id}")
        self.assertEqual(response.status_code, 404)
        self.authenticate("plan.a@example.com", "plan-a-pass")
        response = self.url_open(f"/my/plan/change/{self.change_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Portal A SRL", response.text)

    def test_plan_page_shows_plan_and_quota(self):
        self.authenticate("plan.b@example.com", "plan-b-pass")
        response = self.url_open("/my/plan")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Basic", response.text)
        self.assertIn("o_coop_quota_left", response.text)
        self.assertNotIn("Portal A SRL", response.text)

    def test_email_link_confirms_with_the_token(self):
        self.change_a._portal_ensure_token()
        response = self.url_open(f"/my/plan/change/{self.change_a.id}?access_token={self.change_a.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_coop_confirm_change", response.text)
        response = self.url_open(f"/my/plan/change/{self.change_a.id}?access_token=wrong")
        self.assertEqual(response.status_code, 404)

    def test_email_link_confirmation_applies_the_upgrade(self):
        self.change_a._portal_ensure_token()
        self.authenticate(None, None)
        self.url_open(
            f"/my/plan/change/{self.change_a.id}/confirm",
            data={"access_token": self.change_a.access_token, "csrf_token": http.Request.csrf_token(self)},
        )
        self.env.invalidate_all()
        self.assertEqual(self.change_a.state, "applied")
        self.assertEqual(self.member_a.plan_id, self.partner_2023)

    def test_agent_without_finance_right_cannot_request(self):
        self.authenticate("plan.b2@example.com", "plan-b2-pass")
        response = self.url_open(
            f"/my/plan/{self.member_b.id}/request",
            data={"new_plan_id": self.standard_2023.id, "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertIn("o_coop_error", response.text)
        self.assertIn("Your mandate does not include the finance right needed to change the plan.", response.text)
        self.env.invalidate_all()
        self.assertFalse(self.env["coop.plan.change"].search([("membership_id", "=", self.member_b.id)]))
        # an agent of another member cannot request for B
        self.authenticate("plan.a@example.com", "plan-a-pass")
        response = self.url_open(
            f"/my/plan/{self.member_b.id}/request",
            data={"new_plan_id": self.standard_2023.id, "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(self.env["coop.plan.change"].search([("membership_id", "=", self.member_b.id)]))
