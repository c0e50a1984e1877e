"""Issue 16: the member downloads its account statement (OCA ``partner_statement``) and
its share certificate as PDFs from the portal; the finance right is needed and another
member's id gives nothing of that member."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.coop_24pm_membership.tests.test_invoice_pdf_legal_mentions import pdf_text

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestPortalDocuments(GuaranteeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_member(cls._make_company("Documents A SRL", vat="BE0477472701"))
        cls.member_b = cls._make_member(cls._make_company("Documents B SRL", vat="BE0403170701"))
        cls._make_agent_pair(cls.member_a, cls.member_b, "docs")
        cls.today = fields.Date.context_today(cls.member_b)
        cls.invoice_b = cls._post_invoice(cls.member_b.partner_id, 1000.0, date=cls.today - relativedelta(days=20))
        cls.invoice_a = cls._post_invoice(cls.member_a.partner_id, 777.0, date=cls.today - relativedelta(days=20))

    def test_statement_pdf_lists_the_member_invoices(self):
        trust = self.env["coop.trust.account"].with_context(force_report_rendering=True)
        content, report_type = trust._coop_statement_pdf(
            self.member_b, self.today - relativedelta(months=1), self.today
        )
        self.assertEqual(report_type, "pdf")
        text = pdf_text(content)
        self.assertIn("Documents B SRL", text)
        self.assertIn(self.invoice_b.name, text)
        self.assertNotIn(self.invoice_a.name, text)
        self.assertNotIn("Documents A SRL", text)

    def test_share_certificate_pdf_names_the_b_share(self):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("coop_24pm_membership.action_report_share_certificate", self.member_b.ids)
        )
        self.assertEqual(report_type, "pdf")
        text = pdf_text(content)
        self.assertIn("Share certificate", text)
        self.assertIn("Documents B SRL", text)
        self.assertIn("holder of 1 class B share(s)", text)
        self.assertIn(self.member_b.share_line_ids.name, text)
        # one document: the company's header inside it (Debian's wkhtmltopdf, no separate header)
        self.assertIn(self.env.company.name, text)

    def test_finance_agent_downloads_both(self):
        self.authenticate("docs.b@example.com", "docs-b-pass")
        statement = self.url_open(f"/my/membership/{self.member_b.id}/statement")
        self.assertEqual(statement.status_code, 200)
        self.assertIn(self.invoice_b.name, statement.text)
        self.assertNotIn(self.invoice_a.name, statement.text)
        self.assertIn("attachment", statement.headers["Content-Disposition"])
        certificate = self.url_open(f"/my/membership/{self.member_b.id}/share-certificate")
        self.assertEqual(certificate.status_code, 200)
        self.assertIn("Documents B SRL", certificate.text)
        # a period that ends before it starts: back to the trust page with the reason
        before = self.today - relativedelta(days=3)
        page = self.url_open(f"/my/membership/{self.member_b.id}/statement?date_start={self.today}&date_end={before}")
        self.assertIn("The period of the statement starts after its end.", page.text)

    def test_routes_refuse_other_members_and_users_without_the_right(self):
        self.authenticate("docs.b@example.com", "docs-b-pass")
        for suffix in ("statement", "share-certificate"):
            response = self.url_open(f"/my/membership/{self.member_a.id}/{suffix}")
            self.assertEqual(response.status_code, 404, suffix)
            self.assertNotIn("Documents A SRL", response.text)
            self.assertNotIn(self.invoice_a.name, response.text)
        self.authenticate("docs.b2@example.com", "docs-b2-pass")
        for suffix in ("statement", "share-certificate"):
            response = self.url_open(f"/my/membership/{self.member_b.id}/{suffix}")
            self.assertEqual(response.status_code, 403, suffix)
            self.assertNotIn(self.invoice_b.name, response.text)

    def test_french_tour_documents(self):
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.agent_b.partner_id.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.member_b.id}",
            "coop_documents_french_tour",
            login="docs.b@example.com",
        )
