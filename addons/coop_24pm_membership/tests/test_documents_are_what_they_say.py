"""Issue 22: documents that are what they say.

A posted invoice reads "Invoice" even before Odoo stored its official PDF (Odoo titles
it "Proforma" until then), its salesperson is a person of 24PM or nobody (never
OdooBot, the user of scheduled jobs), and the company's layout is saved so that no
report opens Odoo's "Configure your document layout" dialog.
"""

from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestDocumentsAreWhatTheySay(CoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.am = cls.staff
        cls.member = cls._make_member(cls._make_company("Brasserie Titre", vat="BE0477472701"), am_id=cls.staff.id)
        cls.bot = cls.env.ref("base.user_root")

    def _invoice_by_bot(self):
        invoice = (
            self.env["account.move"]
            .with_user(self.bot)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.member.partner_id.id,
                    "invoice_date": "2026-03-02",
                    "invoice_line_ids": [(0, 0, {"name": "Support", "quantity": 1, "price_unit": 100.0})],
                }
            )
        )
        invoice.with_user(self.bot).action_post()
        return invoice

    def test_posted_invoice_is_titled_invoice_not_proforma(self):
        invoice = self._invoice_by_bot()
        self.assertFalse(invoice.invoice_pdf_report_id)
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.bot)
            ._render_qweb_html("account.account_invoices", invoice.ids, data={"proforma": True})
        )
        text = html.decode()
        self.assertNotIn("Proforma", text)
        flat = " ".join(text.split())
        self.assertTrue(f"<span> Invoice </span> <span>{invoice.name}</span>" in flat, "the title is not Invoice")
        self.assertEqual(invoice._get_invoice_proforma_pdf_report_filename(), invoice._get_invoice_report_filename())

    def test_draft_invoice_keeps_its_draft_title(self):
        draft = (
            self.env["account.move"]
            .with_user(self.bot)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.member.partner_id.id,
                    "invoice_line_ids": [(0, 0, {"name": "Support", "quantity": 1, "price_unit": 100.0})],
                }
            )
        )
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.bot)
            ._render_qweb_html("account.account_invoices", draft.ids, data={"proforma": True})
        )
        self.assertIn("Draft Proforma Invoice", " ".join(html.decode().split()))

    def test_salesperson_is_the_account_manager_never_odoobot(self):
        invoice = self._invoice_by_bot()
        self.assertEqual(invoice.invoice_user_id, self.am)

    def test_salesperson_is_nobody_for_a_customer_without_account_manager(self):
        self.member.am_id = False
        invoice = self._invoice_by_bot()
        self.assertFalse(invoice.invoice_user_id)

    def test_salesperson_who_posts_by_hand_stays(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.member.partner_id.id,
                "invoice_date": "2026-03-02",
                "invoice_user_id": self.env.user.id,
                "invoice_line_ids": [(0, 0, {"name": "Support", "quantity": 1, "price_unit": 100.0})],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.invoice_user_id, self.env.user)

    def test_company_layout_is_saved_with_24pm_logo(self):
        company = self.env.company
        self.assertEqual(company.external_report_layout_id, self.env.ref("web.external_layout_standard"))
        self.assertFalse(company.uses_default_logo)
        self.assertEqual((company.primary_color, company.secondary_color), ("#1d3557", "#e76f51"))
        action = (
            self.env["ir.actions.report"]
            .with_user(self.env.ref("base.user_admin"))
            ._for_xml_id("account.account_invoices")
        )
        report = self.env["ir.actions.report"].browse(action["id"]).with_user(self.env.ref("base.user_admin"))
        self.assertEqual(report.report_action(self.member.partner_id, config=True)["type"], "ir.actions.report")
