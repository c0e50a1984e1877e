from lxml import html

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestPortalTrustAccount(GuaranteeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_member(cls._make_company("Portail A SRL", vat="BE0477472701"), regulation=cls.roi_2021)
        cls.member_b = cls._make_member(cls._make_company("Portail B SRL", vat="BE0403170701"), regulation=cls.roi_2021)
        cls._make_agent_pair(cls.member_a, cls.member_b, "trust")
        cls.today = fields.Date.context_today(cls.member_b)
        cls._receive_guarantee(cls.member_b, 1500.0, date=cls.today)
        cls.invoice_b = cls._post_invoice(cls.member_b.partner_id, 1000.0, date=cls.today)

    def _post(self, url, **data):
        return self.url_open(url, data={**data, "csrf_token": http.Request.csrf_token(self)})

    def _page(self, membership):
        return self.url_open(f"/my/membership/{membership.id}/trust")

    def _amount(self, response, css_class):
        tree = html.fromstring(response.text)
        return float(tree.xpath(f"//td[contains(@class, '{css_class}')]/@data-amount")[0])

    def test_art_4_7_portal_guarantee_equals_deposits_account(self):
        self.env["coop.guarantee.move"].create(
            {
                "membership_id": self.member_b.id,
                "operation": "draw",
                "amount": 250.0,
                "invoice_id": self.invoice_b.id,
            }
        ).action_post()
        self.authenticate("trust.b@example.com", "trust-b-pass")
        response = self._page(self.member_b)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._amount(response, "o_coop_guarantee_balance"), 1250.0)
        self.assertEqual(
            self._amount(response, "o_coop_guarantee_balance"), self._deposits_balance(self.member_b.partner_id)
        )
        # 750.00 left on the invoice and the open B share subscription (1.00)
        self.assertEqual(self._amount(response, "o_coop_outstanding"), 751.0)
        # the invoice, the B share and the guarantee called for (1,500.00, paid: SPEC 7.2)
        self.assertEqual(self._amount(response, "o_coop_invoiced"), 2501.0)

    def test_other_member_404_agent_without_finance_403(self):
        self.authenticate("trust.a@example.com", "trust-a-pass")
        self.assertEqual(self._page(self.member_b).status_code, 404)
        response = self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "100"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested"))
        self.authenticate("trust.b2@example.com", "trust-b2-pass")
        response = self._page(self.member_b)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("o_coop_guarantee_balance", response.text)
        self.assertNotIn(self.invoice_b.name, response.text)
        response = self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "100"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested"))

    def test_topup_beyond_the_agents_amount_limit_refused(self):
        self.agent_b.partner_id.coop_limit_request_amount = 500.0
        self.authenticate("trust.b@example.com", "trust-b-pass")
        page = self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "600"})
        self.assertFalse(self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested"))
        self.assertIn("exceeds the limit of your mandate", page.text)
        self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "400"})
        requested = self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested")
        self.assertEqual(requested.amount, 400.0)

    def test_suspended_member_may_still_pay_its_guarantee(self):
        self.member_b.action_suspend(reason="Unpaid invoices")
        self.authenticate("trust.b@example.com", "trust-b-pass")
        self.assertEqual(self._page(self.member_b).status_code, 200)
        self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "100"})
        self.assertEqual(len(self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested")), 1)

    def test_record_rules_agents_see_only_their_member(self):
        self.env["coop.invoice.dispute"].create({"invoice_id": self.invoice_b.id, "amount": 100.0, "subject": "x"})
        moves_b = self.member_b.guarantee_id.move_ids
        self.assertEqual(self.env["coop.guarantee.move"].with_user(self.agent_b).search([]), moves_b)
        self.assertEqual(len(self.env["coop.invoice.dispute"].with_user(self.agent_b).search([])), 1)
        with self.assertRaises(AccessError):
            moves_b.with_user(self.agent_a).read(["amount"])
        with self.assertRaises(AccessError):
            self.env["coop.invoice.dispute"].search([("membership_id", "=", self.member_b.id)]).with_user(
                self.agent_a
            ).read(["amount"])
        # an agent of B without the finance right sees neither the guarantee nor the disputes
        self.assertFalse(self.env["coop.guarantee.move"].with_user(self.agent_b_projects).search([]))
        self.assertFalse(self.env["coop.invoice.dispute"].with_user(self.agent_b_projects).search([]))
        with self.assertRaises(AccessError):
            moves_b.with_user(self.agent_b).write({"note": "changed"})

    def test_portal_topup_above_maximum_refused_nothing_recorded(self):
        self.authenticate("trust.b@example.com", "trust-b-pass")
        response = self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "8500.01"})
        self.assertIn("cannot exceed", response.text)
        self.assertEqual(len(self.member_b.guarantee_id.move_ids), 1)
        self._post(f"/my/membership/{self.member_b.id}/topup", **{"amount": "8500"})
        self.assertRecordValues(
            self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested"),
            [{"amount": 8500.0, "operation": "topup", "requested_by_id": self.agent_b.id}],
        )

    def test_portal_dispute_of_other_members_invoice_refused(self):
        self.authenticate("trust.a@example.com", "trust-a-pass")
        self._post(
            f"/my/membership/{self.member_a.id}/dispute",
            **{"invoice_id": str(self.invoice_b.id), "amount": "10", "subject": "hijack"},
        )
        self.assertFalse(self.env["coop.invoice.dispute"].search([("invoice_id", "=", self.invoice_b.id)]))

    def test_portal_discrepancy_creates_activity_for_pm(self):
        self.member_b.pm_id = self.staff
        self.authenticate("trust.b@example.com", "trust-b-pass")
        self._post(f"/my/membership/{self.member_b.id}/discrepancy", **{"description": "A payment is missing"})
        activity = self.member_b.activity_ids.filtered(lambda a: "discrepancy" in (a.summary or ""))
        self.assertEqual(activity.user_id, self.staff)
        self.assertIn("A payment is missing", activity.note)
        self.assertIn("Agent B", activity.summary)

    def test_tour_member_files_dispute_and_requests_topup(self):
        self.start_tour("/my/membership", "coop_guarantee_portal_tour", login="trust.b@example.com")
        dispute = self.env["coop.invoice.dispute"].search([("invoice_id", "=", self.invoice_b.id)])
        self.assertRecordValues(
            dispute,
            [
                {
                    "amount": 400.0,
                    "state": "open",
                    "channel": "portal",
                    "subject": "Hours not ordered",
                    "filed_by_id": self.agent_b.id,
                }
            ],
        )
        self.assertRecordValues(
            self.member_b.guarantee_id.move_ids.filtered(lambda m: m.state == "requested"),
            [{"amount": 500.0, "operation": "topup"}],
        )
