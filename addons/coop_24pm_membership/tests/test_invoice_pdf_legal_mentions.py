import subprocess
import tempfile
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import CoopCommon


def pdf_text(content):
    """The text of a PDF as poppler's pdftotext reads it, blanks and line breaks as one space."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        words = subprocess.run(
            ["pdftotext", pdf.name, "-"], capture_output=True, check=True, encoding="utf-8"
        ).stdout.split()
        return " ".join(words)


class CoopLegalDocumentsCommon(CoopCommon):
    """24PM as its documents must show it (SPEC 7.6) and two Belgian members, one French-
    and one Dutch-speaking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"]
        for code in ("fr_BE", "nl_BE"):
            Lang._activate_lang(code)
        company = cls.env.company
        company.write(
            {
                "name": "24PM",
                "coop_legal_form": "SC",
                "vat": "BE0812345603",
                "company_registry": "0812.345.603",
                "street": "Avenue Louise 54",
                "zip": "1050",
                "city": "Ixelles",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        bank = cls.env["res.bank"].create({"name": "BNP Paribas Fortis", "bic": "GEBABEBB"})
        cls.company_bank = (
            cls.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "acc_number": "BE71 0961 2345 6769",
                    "partner_id": company.partner_id.id,
                    "bank_id": bank.id,
                    "allow_out_payment": True,
                }
            )
        )
        cls.sale_journal = cls.company_data["default_journal_sale"]
        cls.sale_journal.write({"invoice_reference_model": "be", "bank_account_id": cls.company_bank.id})
        cls.member_fr = cls._make_company(
            "Brasserie du Parc SRL",
            vat="BE0477472701",
            street="Rue du Parc 12",
            zip="1000",
            city="Bruxelles",
            email="compta@brasserie.example",
            lang="fr_BE",
        )
        cls.member_nl = cls._make_company(
            "Bakkerij Peeters BV",
            vat="BE0403170701",
            street="Meir 10",
            zip="2000",
            city="Antwerpen",
            email="boekhouding@bakkerij.example",
            lang="nl_BE",
        )

    @classmethod
    def _post_invoice(cls, partner, amount=1234.56, invoice_date="2026-12-06", due="2027-01-05"):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "journal_id": cls.sale_journal.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Contribution December",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [(6, 0, cls.company_data["default_tax_sale"].ids)],
                        },
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _invoice_pdf_text(self, moves):
        """The invoices printed as PDF through wkhtmltopdf (Odoo's tests otherwise stop at HTML)."""
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", moves.ids)
        )
        self.assertEqual(content_type, "pdf")
        return pdf_text(content)


@tagged("post_install", "-at_install")
class TestInvoicePdfLegalMentions(CoopLegalDocumentsCommon):
    def _assert_supplier_block(self, text, vat_label, number_label):
        self.assertIn("24PM SC", text)
        self.assertIn("Avenue Louise 54, 1050 Ixelles", text)
        self.assertIn(f"{vat_label} BE0812345603", text)
        self.assertIn(f"{number_label} 0812.345.603", text)
        self.assertIn("IBAN BE71 0961 2345 6769", text)
        self.assertIn("BIC GEBABEBB", text)

    def test_french_invoice_carries_every_legal_mention(self):
        invoice = self._post_invoice(self.member_fr)
        self.assertRegex(invoice.payment_reference, r"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$")
        text = self._invoice_pdf_text(invoice)
        self._assert_supplier_block(text, "TVA", "Numéro d'entreprise")
        # the member: legal name, street, city, VAT number
        self.assertIn("Brasserie du Parc SRL", text)
        self.assertIn("Rue du Parc 12", text)
        self.assertIn("1000 Bruxelles", text)
        self.assertIn("BE0477472701", text)
        # title, dates, amount and structured communication, in French
        self.assertIn(f"Facture {invoice.name}", text)
        self.assertIn("Date de facture", text)
        self.assertIn("06/12/2026", text)
        self.assertIn("Date d'échéance", text)
        self.assertIn("05/01/2027", text)
        self.assertIn("1.234,56", text)
        self.assertIn(invoice.payment_reference, text)
        self.assertNotIn("12/06/2026", text)

    def test_dutch_invoice_carries_every_legal_mention(self):
        invoice = self._post_invoice(self.member_nl)
        text = self._invoice_pdf_text(invoice)
        self._assert_supplier_block(text, "BTW", "Ondernemingsnummer")
        self.assertIn("Bakkerij Peeters BV", text)
        self.assertIn("Meir 10", text)
        self.assertIn("2000 Antwerpen", text)
        self.assertIn("BE0403170701", text)
        self.assertIn(f"Factuur {invoice.name}", text)
        self.assertIn("Factuurdatum", text)
        self.assertIn("06/12/2026", text)
        self.assertIn("Vervaldatum", text)
        self.assertIn("05/01/2027", text)
        self.assertIn("1.234,56", text)
        self.assertIn(invoice.payment_reference, text)

    def test_header_and_footer_become_part_of_each_document(self):
        """Without patched Qt the header and footer rendered apart are lost: they move
        into the body of their own document, in order."""
        first, second = self._post_invoice(self.member_fr), self._post_invoice(self.member_nl)
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("account.account_invoices", (first | second).ids)[0].decode()
        inlined = Report._coop_inline_header_footer(html)
        bodies, res_ids, _header, _footer, _args = Report._get_report("account.account_invoices")._prepare_html(
            inlined, report_model="account.move"
        )
        self.assertEqual(res_ids, [first.id, second.id])
        for body in bodies:
            self.assertEqual(body.count("o_coop_inline_header"), 1)
            self.assertEqual(body.count("o_coop_inline_footer"), 1)
            self.assertLess(body.index("o_coop_inline_header"), body.index("o_coop_inline_footer"))

    def test_documents_keep_a_text_layer_on_debian_wkhtmltopdf(self):
        """A web font comes out of Debian's engine as shapes without text (nothing to
        search, copy or read by machine): each document is set in a system font."""
        invoice = self._post_invoice(self.member_fr)
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("account.account_invoices", invoice.ids)[0].decode()
        bodies = Report._get_report("account.account_invoices")._prepare_html(
            Report._coop_system_font(html), report_model="account.move"
        )[0]
        self.assertEqual(len(bodies), 1)
        self.assertIn('font-family: "DejaVu Sans"', bodies[0])
        self.assertIn(invoice.name, self._invoice_pdf_text(invoice))


@tagged("post_install", "-at_install")
class TestCallForFundsPdf(CoopLegalDocumentsCommon):
    def test_share_subscription_is_a_call_for_funds(self):
        membership = self._make_member(self.member_fr, date="2026-12-06")
        call = membership.share_line_ids.move_id
        self.assertEqual(len(call), 1)
        self.assertTrue(call.coop_is_call_for_funds)
        text = self._invoice_pdf_text(call)
        self.assertIn(f"Appel de fonds {call.name}", text)
        self.assertNotIn("Facture", text)
        self.assertIn("Pas une facture TVA : un apport au capital de la coopérative", text)
        self.assertIn(call.payment_reference, text)
        self._assert_no_invoice_title_in_dutch(call)

    def _assert_no_invoice_title_in_dutch(self, call):
        call.partner_id.lang = "nl_BE"
        call.invoice_pdf_report_id.unlink()
        text = self._invoice_pdf_text(call)
        self.assertIn(f"Oproep tot storting {call.name}", text)
        self.assertNotIn("Factuur", text)


@tagged("post_install", "-at_install")
class TestBatchSending(CoopLegalDocumentsCommon):
    def test_batch_of_three_gives_three_pdfs(self):
        """Odoo's 'Send invoices automatically' job sends a batch in one call: one PDF per
        invoice, each naming its own number, on Debian's wkhtmltopdf too."""
        invoices = (
            self._post_invoice(self.member_fr, 100.0)
            | self._post_invoice(self.member_nl, 200.0)
            | self._post_invoice(self.member_fr, 300.0)
        )
        # what the batch wizard leaves for the job, then the job's own call
        invoices.sending_data = {"author_user_id": self.env.user.id, "author_partner_id": self.env.user.partner_id.id}
        self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
            invoices, from_cron=True
        )
        invoices.invalidate_recordset()
        for invoice in invoices:
            attachment = invoice.invoice_pdf_report_id
            self.assertFalse(invoice.sending_data, invoice.message_ids.mapped("body"))
            self.assertEqual(attachment.mimetype, "application/pdf")
            text = pdf_text(attachment.raw)
            self.assertIn(invoice.name, text)
            for other in invoices - invoice:
                self.assertNotIn(other.name, text)


@tagged("post_install", "-at_install")
class TestMemberLanguage(CoopCommon):
    """A member's documents are in its language, set from its country when it joins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_BE", "nl_BE"):
            cls.env["res.lang"]._activate_lang(code)

    def _join(self, login, vat, **kwargs):
        user = new_test_user(self.env, login, groups="base.group_portal", lang="en_US")
        with patch("stdnum.eu.vat.check_vies", side_effect=OSError("unreachable")):  # VIES down: nothing filled
            return self.env["coop.membership.application"]._coop_join_company(user, vat=vat, **kwargs)

    def test_belgian_company_joins_in_french(self):
        self.assertEqual(self._join("lang_be", "BE0477472701").lang, "fr_BE")

    def test_dutch_company_joins_in_dutch(self):
        self.assertEqual(self._join("lang_nl", "NL000099998B57").lang, "nl_BE")

    def test_belgian_company_choosing_dutch_joins_in_dutch(self):
        self.assertEqual(self._join("lang_be_nl", "BE0403170701", lang="nl_BE").lang, "nl_BE")

    def test_german_company_joins_in_english(self):
        self.assertEqual(self._join("lang_de", "DE136695976").lang, "en_US")

    def test_agent_speaks_the_company_language(self):
        company = self._join("lang_agent", "BE0477472701")
        membership = self._make_member(company)
        agent = self.env["res.partner"]._coop_create_agent(
            membership.partner_id, "Agent Lang", "agent.lang@example.com"
        )
        self.assertEqual(agent.partner_id.lang, "fr_BE")
