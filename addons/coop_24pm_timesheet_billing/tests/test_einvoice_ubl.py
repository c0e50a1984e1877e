from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.schematron import assert_ubl_passes

from .common import CoopBillingCommon

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


@tagged("post_install", "-at_install")
class TestEinvoiceUbl(CoopBillingCommon):
    """SPEC 7.6: every kind of invoice the suite issues to a Belgian member leaves as a
    Peppol BIS Billing 3.0 file built by Odoo's own builder, which breaks no fatal rule
    of the official EN 16931 and Peppol rule sets (read from ../shared/einvoice)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "name": "24PM SC",
                "vat": "BE0897223670",
                "street": "Rue de la Loi 24",
                "zip": "1000",
                "city": "Bruxelles",
            }
        )
        cls.builder = cls.env["account.edi.xml.ubl_bis3"]

    _be_sequence = 4_000_000

    @classmethod
    def _next_be_vat(cls):
        """A new valid Belgian enterprise number (10 digits, check digits 97 - n mod 97)."""
        cls._be_sequence += 1
        base = cls._be_sequence  # 8 digits with a leading 0
        return f"BE{base:08d}{97 - base % 97:02d}"

    @classmethod
    def _make_be_member(cls, name, plan, start, commitment="monthly"):
        with freeze_time(start):
            membership = cls._make_member(
                cls._make_company(name, vat=cls._next_be_vat(), street="Rue Haute 5", zip="1000", city="Bruxelles"),
                date=start,
                regulation=plan.regulation_id,
                plan_id=plan.id,
                commitment=commitment,
                date_start=start,
            )
        return membership

    def _ubl(self, move):
        """The BIS 3 file of ``move``: no error from Odoo's builder, no fatal rule broken."""
        self.assertEqual(move.state, "posted")
        partner = move.commercial_partner_id
        self.assertEqual(partner.invoice_edi_format, "ubl_bis3")
        self.assertTrue(move._need_ubl_cii_xml("ubl_bis3"))
        xml, errors = self.builder._export_invoice(move)
        self.assertFalse(errors, f"Odoo's builder refused {move.name}: {errors}")
        assert_ubl_passes(self, xml)
        tree = etree.fromstring(xml)
        # the UBL's totals are the invoice's, to the cent
        self.assertEqual(
            float(tree.findtext(".//cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS)), move.amount_residual
        )
        self.assertEqual(
            float(tree.findtext(".//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", namespaces=NS)), move.amount_untaxed
        )
        self.assertEqual(
            float(tree.findtext(".//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", namespaces=NS)), move.amount_total
        )
        # the buyer by its enterprise number under scheme 0208, paid with the structured communication
        endpoint = tree.find(".//cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS)
        self.assertEqual((endpoint.get("schemeID"), endpoint.text), ("0208", partner.vat[2:]))
        if move.move_type == "out_invoice":
            self.assertEqual(tree.findtext(".//cac:PaymentMeans/cbc:PaymentID", namespaces=NS), move.payment_reference)
        return tree

    def _line_names(self, tree):
        return [name.text for name in tree.iterfind(".//cac:Item/cbc:Name", namespaces=NS)]

    def test_monthly_contribution_ubl_passes_peppol_rules(self):
        member = self._make_be_member("UBL Mensuel", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        invoice = self._invoices(member, "contribution")
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_untaxed, 650.00)  # EUR 600 + the EUR 50 annual fee of ROI 2023
        self.assertTrue(invoice.payment_reference.startswith("+++"))
        self._ubl(invoice)

    def test_annual_contribution_ubl_passes_peppol_rules(self):
        member = self._make_be_member("UBL Annuel", self.basic_2023, "2026-04-01", commitment="annual")
        self._run_contract_cron("2026-04-01")
        invoice = self._invoices(member, "contribution_annual")
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_untaxed, 3050.00)  # 10 months of EUR 300 for the year + the EUR 50 annual fee
        self._ubl(invoice)

    def test_service_invoice_with_sections_and_margin_ubl_passes_peppol_rules(self):
        member = self._make_be_member("UBL Services", self.basic_2023, "2026-03-01")
        project = self.env["project.project"].create(
            {
                "name": "UBL Services - work",
                "coop_membership_id": member.id,
                "coop_product_id": self.service.id,
                "allow_timesheets": True,
            }
        )
        task = self.env["project.task"].create({"name": "Site", "project_id": project.id})
        self._log(self.medior, 60, "2026-03-10", task=task)  # 1 h x EUR 60
        self._log(self.junior, 50, "2026-03-11", task=task)  # 1 h x EUR 45 (quarter hours started)
        self.env["coop.expense"].create(
            {"name": "Travel", "membership_id": member.id, "date": "2026-03-11", "expense_type": "km", "quantity": 40.0}
        )
        invoice = self._invoice_members(member.with_context(tracking_disable=True), date(2026, 3, 20))
        sections = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")
        self.assertTrue(sections)
        # work 105.00, its 38 % margin 39.90, travel 40 km x EUR 0.50 with its margin
        self.assertEqual(invoice.coop_is_service_invoice, True)
        tree = self._ubl(invoice)
        names = self._line_names(tree)
        self.assertEqual(
            len(names), len(invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product"))
        )
        self.assertTrue(any("margin" in name.lower() for name in names), names)
        # each UBL line names its section (services, expenses, margin), as the PDF shows them
        products = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        notes = [note.text for note in tree.iterfind(".//cac:InvoiceLine/cbc:Note", namespaces=NS)]
        self.assertEqual(notes, [line.parent_id.name for line in products])
        self.assertEqual(len(set(notes)), len(sections))

    def test_expense_only_service_invoice_ubl_passes_peppol_rules(self):
        member = self._make_be_member("UBL Frais", self.basic_2023, "2026-03-01")
        self.env["coop.expense"].create(
            {
                "name": "Copies",
                "membership_id": member.id,
                "date": "2026-03-11",
                "expense_type": "page",
                "quantity": 10.0,
            }
        )
        invoice = self._invoice_members(member.with_context(tracking_disable=True), date(2026, 3, 20))
        self.assertEqual(invoice.amount_untaxed, 40.00)  # 10 pages x EUR 4.00, no margin on copies
        self._ubl(invoice)

    def test_late_fee_invoice_is_outside_vat_scope_and_passes_peppol_rules(self):
        member = self._make_be_member("UBL Retard", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        contribution = self._invoices(member, "contribution")
        with freeze_time(contribution.invoice_date_due + __import__("datetime").timedelta(days=45)):
            self.env["account.move"]._cron_coop_late_fees()
        fee = self._fee_invoices(contribution, "late")
        self.assertEqual(len(fee), 1)
        # 786.50 due (650 + 21 % VAT) for 45 days: interest 11.80 (1 % a month), penalty the EUR 150 minimum
        self.assertEqual(sorted(fee.invoice_line_ids.mapped("price_subtotal")), [11.80, 150.00])
        self.assertEqual(fee.amount_tax, 0.0)
        tax = fee.invoice_line_ids.tax_ids
        self.assertEqual((tax.ubl_cii_tax_category_code, tax.ubl_cii_tax_exemption_reason_code), ("O", "VATEX-EU-O"))
        tree = self._ubl(fee)
        category = tree.find(".//cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", namespaces=NS)
        self.assertEqual(category.findtext("cbc:ID", namespaces=NS), "O")
        self.assertEqual(category.findtext("cbc:TaxExemptionReasonCode", namespaces=NS), "VATEX-EU-O")
        self.assertIsNone(tree.find(".//cac:PartyTaxScheme", namespaces=NS))

    def test_credit_note_ubl_passes_peppol_rules(self):
        member = self._make_be_member("UBL Avoir", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        invoice = self._invoices(member, "contribution")
        credit_note = invoice._reverse_moves(
            [{"invoice_date": date(2026, 4, 5), "ref": f"Credit note of {invoice.name}"}]
        )
        credit_note.action_post()
        self.assertEqual((credit_note.move_type, credit_note.amount_untaxed), ("out_refund", 650.00))
        tree = self._ubl(credit_note)
        self.assertEqual(etree.QName(tree).localname, "CreditNote")

    def test_plan_change_pro_rata_ubl_passes_peppol_rules(self):
        member = self._make_be_member("UBL Upgrade", self.basic_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        self._request_change(member, self.standard_2023, "2026-04-16")
        adjustment = self._invoices(member, "adjustment")
        self.assertEqual(len(adjustment), 1)
        # upgrade on the 16th: 15 days of April at the difference EUR 300 (600 - 300) = 150.00
        self.assertEqual(adjustment.amount_untaxed, 150.00)
        self._ubl(adjustment)

    def test_share_call_is_not_an_einvoice(self):
        member = self._make_be_member("UBL Part", self.basic_2023, "2026-04-01")
        share_move = member.share_line_ids.move_id
        self.assertTrue(share_move.coop_is_call_for_funds)
        self.assertFalse(share_move._need_ubl_cii_xml("ubl_bis3"))
        self.assertFalse(
            self.env["account.move.send"]._is_applicable_to_move("peppol", share_move, invoice_edi_format="ubl_bis3")
        )
        self.assertEqual(self.env["account.move.send"]._get_default_sending_methods(share_move), {"email"})

    def test_ubl_of_a_line_without_tax_is_refused_by_odoo(self):
        """What a fee line looked like before VAT category O: Odoo's builder refuses it."""
        member = self._make_be_member("UBL Sans taxe", self.basic_2023, "2026-04-01")
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": member.partner_id.id,
                "invoice_date": "2026-04-02",
                "invoice_line_ids": [
                    Command.create({"name": "No tax", "quantity": 1, "price_unit": 15.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        move.action_post()
        _xml, errors = self.builder._export_invoice(move)
        self.assertTrue(errors)
