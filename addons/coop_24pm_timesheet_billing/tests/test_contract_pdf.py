from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.test_invoice_pdf_legal_mentions import pdf_text

from .test_final_settlement import SettlementCommon


@tagged("post_install", "-at_install")
class TestContractPdf(SettlementCommon):
    """Issue 15 (7): the e-contract states what the member commits to, read from the
    PDF that wkhtmltopdf renders (poppler's pdftotext), not from its HTML."""

    def _contract_text(self, application):
        """The e-contract the application sends and the company signs (issue 15)."""
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("coop_24pm_membership.action_report_application_contract", application.ids)
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return pdf_text(content)

    def test_contract_states_plan_guarantee_payment_and_notice(self):
        with freeze_time("2026-04-01"):
            membership = self._make_application(
                self._make_company("Contrat Complet SRL"),
                self.roi_2021,
                plan_id=self.standard_2021.id,
                guarantee_amount=2500.0,
            )
            self._make_mandate(membership.partner_id, reference="MDT-CONTRACT-1")
            membership.action_send_contract()
            membership.action_sign("2026-04-01", "Claire Peeters", "Managing director", True)
        text = self._contract_text(membership)
        self.assertIn(f"governed by the internal regulations {self.roi_2021.name}", text)
        self.assertIn("Plan: Standard (ROI 2021)", text)
        self.assertIn("Contribution: 500.00 € per month, excluding VAT.", text)
        self.assertIn("Commercial margin: 15 % on the group rates.", text)
        self.assertIn(
            "Guarantee: 2,500.00 € agreed, to be paid within 30 days of the signature; the balance is refunded on "
            "request within 12 months after the end of the contract.",
            text,
        )
        self.assertIn("Payment mode: SEPA B2B direct debit under mandate MDT-CONTRACT-1.", text)
        self.assertIn("Notice periods: monthly commitment: 1 month(s) of notice.", text)
        self.assertIn("fixed indemnity of 3 months of contribution, at least 1,000.00 €.", text)
        self.assertIn("by Claire Peeters, in the capacity of Managing director, who states having the power", text)

    def test_contract_without_guarantee_on_prepayments_annual(self):
        with freeze_time("2026-04-01"):
            membership = self._make_application(
                self._make_company("Contrat Annuel SRL"),
                self.roi_2023,
                plan_id=self.basic_2023.id,
                commitment="annual",
                coop_payment_mode="prepayment",
                prepayment_amount=400.0,
                credit_score=80.0,  # assessed: above the threshold, no guarantee required (SPEC 7.5)
            )
            membership.action_send_contract()
            membership.action_sign("2026-04-01", "Jan Janssens", "Proxy holder", True)
        self.assertFalse(membership.guarantee_amount)
        text = self._contract_text(membership)
        self.assertIn("Guarantee: No guarantee.", text)
        # Basic 2023 at 300.00 a month: 10 months for 12
        self.assertIn(
            "Contribution: 3,000.00 € per commitment year, paid at its start (2 months free on 300.00 € a month)", text
        )
        self.assertIn("Commercial margin: 38 % on the group rates.", text)
        self.assertIn("Payment mode: Prepayments of 400.00 € (Monthly).", text)
        self.assertIn("Annual commitment: notice at least 3 month(s) before the end of the commitment year.", text)
        self.assertIn(
            "Jan Janssens, in the capacity of Proxy holder, who states having the power to bind the company.", text
        )
