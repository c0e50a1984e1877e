from odoo.exceptions import AccessError
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_member(cls._make_company("Membre A SRL", vat="BE0477472701"))
        cls.member_b = cls._make_member(cls._make_company("Membre B SRL", vat="BE0403170701"))
        cls._make_agent_pair(cls.member_a, cls.member_b, "agent")

    def test_agent_reads_only_own_member(self):
        Membership = self.env["coop.membership"].with_user(self.agent_b)
        self.assertEqual(Membership.search([]), self.member_b)
        with self.assertRaises(AccessError):
            self.member_a.with_user(self.agent_b).read(["state"])
        with self.assertRaises(AccessError):
            self.member_a.share_line_ids.with_user(self.agent_b).read(["amount"])
        self.assertEqual(self.env["coop.share.line"].with_user(self.agent_b).search([]), self.member_b.share_line_ids)

    def test_agent_without_finance_right_sees_no_shares(self):
        self.assertFalse(self.env["coop.share.line"].with_user(self.agent_b_projects).search([]))
        with self.assertRaises(AccessError):
            self.member_b.share_line_ids.with_user(self.agent_b_projects).read(["amount"])

    def test_agent_cannot_write_membership(self):
        with self.assertRaises(AccessError):
            self.member_b.with_user(self.agent_b).write({"state": "terminated"})

    def test_http_other_members_page_is_404(self):
        self.authenticate("agent.b@example.com", "agent-b-pass")
        response = self.url_open(f"/my/membership/{self.member_a.id}")
        self.assertEqual(response.status_code, 404)
        own = self.url_open(f"/my/membership/{self.member_b.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Membre B SRL", own.text)
        self.assertNotIn("Membre A SRL", own.text)

    def test_http_pm_change_request_from_portal(self):
        self.authenticate("agent.b@example.com", "agent-b-pass")
        self.url_open(
            f"/my/membership/{self.member_b.id}/pm_change",
            data={"reason": "We need a Dutch speaker", "csrf_token": Request.csrf_token(self)},
        )
        request = self.env["coop.pm.change.request"].search([("membership_id", "=", self.member_b.id)])
        self.assertEqual(len(request), 1)
        self.assertRecordValues(
            request, [{"reason": "We need a Dutch speaker", "state": "requested", "requested_by_id": self.agent_b.id}]
        )
        # as B, asking for A's membership changes nothing
        self.url_open(
            f"/my/membership/{self.member_a.id}/pm_change",
            data={"reason": "hijack", "csrf_token": Request.csrf_token(self)},
        )
        self.assertFalse(self.env["coop.pm.change.request"].search([("membership_id", "=", self.member_a.id)]))
