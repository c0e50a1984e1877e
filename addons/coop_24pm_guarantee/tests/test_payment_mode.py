from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestPaymentModeFollowsMandate(GuaranteeCommon):
    """SPEC 4.3: direct debit whenever the member has a valid B2B mandate, both ways, with a
    message; OCA's customer payment mode carries it to the invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Mode SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.partner, credit_score=80.0)

    def _messages(self, text):
        return self.member.message_ids.filtered(lambda m: text in str(m.body))

    def test_staff_membership_debited_once_its_mandate_is_valid(self):
        self.assertEqual(self.member.coop_payment_mode, "prepayment")
        self.assertIn("No valid SEPA B2B mandate", self.member.coop_payment_mode_reason)
        mandate = self._make_mandate(self.partner, reference="MDT-MODE-1")
        self.assertEqual(self.member.coop_payment_mode, "direct_debit")
        self.assertEqual(
            self.member.coop_payment_mode_reason,
            "Invoices are collected by SEPA B2B direct debit under mandate MDT-MODE-1 (art. 6.1).",
        )
        self.assertEqual(len(self._messages("Mandate MDT-MODE-1 is valid")), 1)
        self.assertEqual(self.partner.with_company(self.company).customer_payment_mode_id, self.sdd_mode)
        invoice = self._post_invoice(self.partner, 700.0, date="2026-02-01", due="2026-02-11")
        self.assertEqual(invoice.payment_mode_id, self.sdd_mode)
        with freeze_time("2026-02-11"):
            self.env["account.move"]._cron_coop_direct_debit()
        line = self.env["account.payment.line"].search([("move_line_id.move_id", "=", invoice.id)])
        self.assertRecordValues(line, [{"amount_currency": 700.0, "mandate_id": mandate.id}])

    def test_mandate_ended_back_to_prepayments(self):
        mandate = self._make_mandate(self.partner, reference="MDT-MODE-2")
        self.assertEqual(self.member.coop_payment_mode, "direct_debit")
        mandate.cancel()
        self.assertEqual(self.member.coop_payment_mode, "prepayment")
        self.assertEqual(len(self._messages("No valid SEPA B2B mandate any more")), 1)
        self.assertFalse(self.partner.with_company(self.company).customer_payment_mode_id)
        invoice = self._post_invoice(self.partner, 700.0, date="2026-02-01", due="2026-02-11")
        self.assertFalse(invoice.payment_mode_id)
        with freeze_time("2026-02-11"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertFalse(self.env["account.payment.line"].search([("move_line_id.move_id", "=", invoice.id)]))
