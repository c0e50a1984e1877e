import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestAgentFinanceRight(CoopCommon, HttpCase):
    """SPEC 2.4, issue 15: the finance right gates Odoo's own /my/invoices, the invoice
    page, its PDF and its payment link, not only the suite's pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_member(cls._make_company("Finance A SRL", vat="BE0477472701"))
        cls.member_b = cls._make_member(cls._make_company("Finance B SRL", vat="BE0403170701"))
        cls._make_agent_pair(cls.member_a, cls.member_b, "rights")
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.member_b.partner_id, amounts=[1234.56], post=True, invoice_date="2026-03-02"
        )
        cls.invoice._portal_ensure_token()

    def test_finance_agent_reads_the_invoice(self):
        self.authenticate("rights.b@example.com", "rights-b-pass")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice.name, page.text)
        listing = self.url_open("/my/invoices")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.invoice.name, listing.text)

    def test_agent_without_finance_right_gets_403_and_no_content(self):
        self.authenticate("rights.b2@example.com", "rights-b2-pass")
        for url in (
            "/my/invoices",
            f"/my/invoices/{self.invoice.id}",
            f"/my/invoices/{self.invoice.id}?report_type=pdf",
            f"/my/invoices/{self.invoice.id}?report_type=pdf&download=true",
            f"/my/invoices/{self.invoice.id}?access_token={self.invoice.access_token}",
            f"/my/invoices/{self.invoice.id}?report_type=pdf&access_token={self.invoice.access_token}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertNotIn(self.invoice.name, response.text, url)
            self.assertNotIn("1,234.56", response.text, url)
            self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf", url)

    def test_agent_without_finance_right_cannot_pay(self):
        self.authenticate("rights.b2@example.com", "rights-b2-pass")
        response = self.url_open(
            f"/invoice/transaction/{self.invoice.id}",
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "params": {"access_token": self.invoice.access_token}}
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.assertNotIn("result", body)
        self.assertIn("403", json.dumps(body["error"]))
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", self.invoice.ids)]))

    def test_record_rule_hides_invoices_without_finance_right(self):
        Move = self.env["account.move"]
        self.assertIn(self.invoice, Move.with_user(self.agent_b).search([("move_type", "=", "out_invoice")]))
        self.assertFalse(Move.with_user(self.agent_b_projects).search([]))
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.agent_b_projects).read(["amount_total"])

    def test_right_granted_later_opens_the_invoices(self):
        self.assertFalse(self.env["account.move"].with_user(self.agent_b_projects).search([]))
        self.agent_b_projects.partner_id.coop_right_finance = True
        self.assertIn(self.invoice, self.env["account.move"].with_user(self.agent_b_projects).search([]))
