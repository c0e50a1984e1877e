from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestLateFeeExclusions(GuaranteeCommon):
    """SPEC 7.1: what is late, from when, and what never bears late fees (art. 6.4.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Exclusions SRL", vat="BE0477472701")
        cls.mandate = cls._make_mandate(cls.partner)
        cls.member = cls._make_member(cls.partner, credit_score=80.0)
        cls.share_invoice = cls.env["account.move"].search(
            [("commercial_partner_id", "=", cls.partner.id), ("coop_is_call_for_funds", "=", True)]
        )

    def _late_fees(self):
        self.env["account.move"]._cron_coop_late_fees()

    def _order_lines(self, invoice):
        return self.env["account.payment.line"].search([("move_line_id.move_id", "=", invoice.id)])

    def test_art_6_4_1_2400_overdue_100_days(self):
        invoice = self._post_invoice(self.partner, 2400.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-05-22"):  # 100 days after the due date
            self._late_fees()
        lines = self._fee_invoices(invoice, "late").invoice_line_ids.sorted("price_subtotal")
        # 2,400.00 x 1 % x 100 / 30 = 80.00; penalty 10 % = 240.00
        self.assertRecordValues(lines, [{"price_subtotal": 80.0}, {"price_subtotal": 240.0}])
        self.assertIn("100 days", lines[0].name)

    def test_art_6_4_1_500_penalty_minimum_150(self):
        invoice = self._post_invoice(self.partner, 500.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-12"):  # one day late
            self._late_fees()
        lines = self._fee_invoices(invoice, "late").invoice_line_ids.sorted("price_subtotal")
        # 500.00 x 1 % x 1 / 30 = 0.17; penalty 10 % = 50.00, so the minimum 150.00
        self.assertRecordValues(lines, [{"price_subtotal": 0.17}, {"price_subtotal": 150.0}])

    def test_b_share_call_for_funds_bears_nothing(self):
        self.assertEqual(len(self.share_invoice), 1)
        self.assertEqual(self.share_invoice.amount_total, 1.0)
        self.assertEqual(self.share_invoice.payment_state, "not_paid")
        with freeze_time("2026-12-31"):
            self._late_fees()
        self.assertFalse(self._fee_invoices(self.share_invoice))

    def test_guarantee_invoice_bears_nothing(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-11")
        invoice.write({"coop_guarantee_invoice": True, "coop_is_call_for_funds": True})
        with freeze_time("2026-05-22"):
            self._late_fees()
        self.assertFalse(self._fee_invoices(invoice))

    def test_prepayment_invoice_bears_nothing(self):
        invoice = self._post_invoice(self.partner, 300.0, date="2026-02-01", due="2026-02-11")
        invoice.coop_is_prepayment = True
        with freeze_time("2026-05-22"):
            self._late_fees()
        self.assertFalse(self._fee_invoices(invoice))

    def test_no_fee_on_fees(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-21"):
            self._late_fees()
        fee = self._fee_invoices(invoice, "late")
        self.assertEqual(fee.amount_total, 153.33)  # 1,000 x 1 % x 10 / 30 = 3.33 + 150.00
        with freeze_time("2026-12-31"):
            self._late_fees()
        self.assertFalse(self._fee_invoices(fee))

    def test_open_direct_debit_order_is_not_late(self):
        invoice = self._post_invoice(self.partner, 2400.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-11"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(self._order_lines(invoice).amount_currency, 2400.0)
        with freeze_time("2026-03-01"):  # the order is still in draft at 24PM
            self._late_fees()
        self.assertFalse(self._fee_invoices(invoice, "late"))
        self.assertFalse(invoice.coop_interest_until)
        self.assertFalse(invoice.coop_penalty_charged)

    def test_rejected_debit_is_late_from_its_due_date(self):
        invoice = self._post_invoice(self.partner, 2400.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-11"):
            order = self.env["account.move"]._cron_coop_direct_debit()
            order.draft2open()
            order.open2generated()
            order.generated2uploaded()
        self.assertEqual(invoice.payment_state, "in_payment")
        with freeze_time("2026-02-16"):
            self.env["coop.debit.rejection"].create({"invoice_id": invoice.id, "reason": "AM04"})
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self._fee_invoices(invoice, "rejection").amount_total, 15.0)
        with freeze_time("2026-05-22"):
            invoice.coop_debit_retry_date = False
            self._late_fees()
        lines = self._fee_invoices(invoice, "late").invoice_line_ids.sorted("price_subtotal")
        # late from 2026-02-11, not from the rejection: 100 days, 80.00 and 240.00
        self.assertRecordValues(lines, [{"price_subtotal": 80.0}, {"price_subtotal": 240.0}])

    def test_paid_on_time_by_the_bank_date_whatever_day_the_job_runs(self):
        """Money received on the due date, recorded weeks later: not late."""
        invoice = self._post_invoice(self.partner, 2400.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-03-15"):
            self._pay(invoice, 2400.0, date="2026-02-11")
            self._late_fees()
        self.assertFalse(self._fee_invoices(invoice))


@tagged("post_install", "-at_install")
class TestPaymentTerms(GuaranteeCommon):
    """SPEC 7.1: 10 days for contribution, service and fee invoices; 30 days for calls for funds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Termes SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.partner, credit_score=80.0)
        cls.term_10 = cls.env.ref("coop_24pm_membership.account_payment_term_coop_10_days")
        cls.term_30 = cls.env.ref("coop_24pm_membership.account_payment_term_coop_30_days")

    def test_b_share_due_in_30_days(self):
        share = self.env["account.move"].search(
            [("commercial_partner_id", "=", self.partner.id), ("coop_is_call_for_funds", "=", True)]
        )
        self.assertEqual(share.invoice_payment_term_id, self.term_30)
        self.assertEqual((share.invoice_date_due - share.invoice_date).days, 30)

    def test_fee_invoice_due_in_10_days(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-21"):
            self.env["account.move"]._cron_coop_late_fees()
        fee = self._fee_invoices(invoice, "late")
        self.assertEqual(fee.invoice_payment_term_id, self.term_10)
        self.assertEqual(str(fee.invoice_date_due), "2026-03-03")

    def test_prepayment_invoice_due_in_10_days(self):
        self.member.write({"prepayment_amount": 500.0})
        with freeze_time("2026-02-01"):
            move = self.member._get_prepayment_account().action_invoice()
        self.assertEqual(move.invoice_payment_term_id, self.term_10)
        self.assertEqual(str(move.invoice_date_due), "2026-02-11")
