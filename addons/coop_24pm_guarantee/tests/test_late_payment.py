from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestLatePayment(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Retard SRL", vat="BE0477472701")
        cls._make_mandate(cls.partner)
        cls.member = cls._make_member(cls.partner, credit_score=80.0)

    def test_art_6_4_1_interest_and_penalty_45_days(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        with freeze_time("2026-03-18"):  # 45 days after the due date
            self.env["account.move"]._cron_coop_late_fees()
        fee = self._fee_invoices(invoice, "late")
        self.assertEqual(len(fee), 1)
        self.assertEqual(fee.state, "posted")
        self.assertEqual(fee.partner_id, self.partner)
        lines = fee.invoice_line_ids.sorted("price_subtotal")
        self.assertRecordValues(lines, [{"price_subtotal": 15.0}, {"price_subtotal": 150.0}])
        self.assertIn("Late interest on", lines[0].name)
        self.assertIn("45 days", lines[0].name)
        self.assertIn("Penalty clause", lines[1].name)
        self.assertEqual(lines[0].account_id.code, "751000")
        self.assertEqual(fee.amount_total, 165.0)
        self.assertEqual(str(invoice.coop_interest_until), "2026-03-18")
        self.assertTrue(invoice.coop_penalty_charged)

    def test_penalty_once_and_interest_not_charged_twice(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        with freeze_time("2026-03-18"):
            self.env["account.move"]._cron_coop_late_fees()
            self.env["account.move"]._cron_coop_late_fees()
        self.assertEqual(len(self._fee_invoices(invoice)), 1)
        with freeze_time("2026-04-17"):  # 30 more days: interest only
            self.env["account.move"]._cron_coop_late_fees()
        fees = self._fee_invoices(invoice).sorted("id")
        self.assertEqual(len(fees), 2)
        self.assertRecordValues(fees[1].invoice_line_ids, [{"price_subtotal": 10.0}])
        # fee invoices themselves do not bear interest
        self.assertFalse(self._fee_invoices(fees[0]))

    def test_penalty_ten_percent_above_minimum(self):
        invoice = self._post_invoice(self.partner, 2345.67, date="2026-02-01", due="2026-02-01")
        with freeze_time("2026-02-11"):
            self.env["account.move"]._cron_coop_late_fees()
        lines = self._fee_invoices(invoice).invoice_line_ids.sorted("price_subtotal")
        # 2,345.67 x 1 % x 10 / 30 = 7.82; penalty 234.57
        self.assertRecordValues(lines, [{"price_subtotal": 7.82}, {"price_subtotal": 234.57}])

    def test_not_overdue_no_fee(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-03-01")
        with freeze_time("2026-03-01"):
            self.env["account.move"]._cron_coop_late_fees()
        self.assertFalse(self._fee_invoices(invoice))

    def test_disputed_part_bears_no_late_fee(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        with freeze_time("2026-02-05"):
            self.env["coop.invoice.dispute"].create({"invoice_id": invoice.id, "amount": 400.0, "subject": "Hours"})
        with freeze_time("2026-03-18"):
            self.env["account.move"]._cron_coop_late_fees()
        lines = self._fee_invoices(invoice).invoice_line_ids.sorted("price_subtotal")
        # on 600.00: 9.00 interest; penalty 10 % = 60.00, so the minimum 150.00
        self.assertRecordValues(lines, [{"price_subtotal": 9.0}, {"price_subtotal": 150.0}])

    def test_art_6_4_1_rejected_debit_adds_15(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-03-03")
        before = self.env["coop.trust.account"]._coop_get_values(self.member)["outstanding"]
        with freeze_time("2026-02-12"):
            rejection = self.env["coop.debit.rejection"].create({"invoice_id": invoice.id, "reason": "AM04"})
        self.assertEqual(rejection.fee_amount, 15.0)
        self.assertEqual(rejection.fee_invoice_id.coop_fee_kind, "rejection")
        self.assertEqual(rejection.fee_invoice_id.state, "posted")
        self.assertEqual(str(rejection.date_retry), "2026-02-17")
        self.assertEqual(str(invoice.coop_debit_retry_date), "2026-02-17")
        self.assertEqual(self.env["coop.trust.account"]._coop_get_values(self.member)["outstanding"], before + 15.0)
        self.assertFalse(rejection.mandate_notice_date)

    def test_art_6_4_1_interest_until_payment_date_when_paid_between_runs(self):
        """Paid 20 days late, before any run: the next run still charges 20 days and the penalty."""
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        self._pay(invoice, 1000.0, date="2026-02-21")
        self.assertTrue(invoice.coop_late_interest_pending)
        with freeze_time("2026-03-01"):
            self.env["account.move"]._cron_coop_late_fees()
            self.env["account.move"]._cron_coop_late_fees()
        fee = self._fee_invoices(invoice, "late")
        self.assertEqual(len(fee), 1, "the second run charges nothing more")
        lines = fee.invoice_line_ids.sorted("price_subtotal")
        # 1,000 x 1 % x 20 / 30 = 6.67; penalty 10 % -> minimum 150
        self.assertRecordValues(lines, [{"price_subtotal": 6.67}, {"price_subtotal": 150.0}])
        self.assertIn("20 days", lines[0].name)
        self.assertFalse(invoice.coop_late_interest_pending)

    def test_art_6_4_1_interest_follows_partial_payments(self):
        """1,000 unpaid for 30 days (10.00), then 600 for 15 days (3.00)."""
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        with freeze_time("2026-03-18"):
            self._pay(invoice, 400.0, date="2026-03-03")
            self.env["account.move"]._cron_coop_late_fees()
        fee = self._fee_invoices(invoice, "late")
        interest = fee.invoice_line_ids.filtered(lambda line: "Late interest" in line.name).sorted(
            lambda line: line.name
        )
        self.assertEqual(sorted(interest.mapped("price_subtotal")), [3.0, 10.0])

    def test_late_fees_never_posted_into_a_locked_period(self):
        """A run that meets a locked period dates the fee invoice on the first open day and says so."""
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        self.env.company.sudo().fiscalyear_lock_date = "2026-03-31"
        with freeze_time("2026-03-18"):
            self.env["account.move"]._cron_coop_late_fees()
        fee = self._fee_invoices(invoice, "late")
        self.assertEqual(fee.state, "posted")
        self.assertEqual(str(fee.date), "2026-04-01")
        self.assertEqual(str(fee.invoice_date), "2026-03-18")
        self.assertEqual(fee.amount_total, 165.0)
        self.assertTrue(fee.message_ids.filtered(lambda m: "is closed" in str(m.body)))


@tagged("post_install", "-at_install")
class TestLateFeeLanguage(GuaranteeCommon):
    """SPEC 7.6: the fee invoice speaks the member's language, amounts and dates in its format."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_BE")
        cls.partner = cls._make_company("Retard Français SRL", vat="BE0477472701", lang="fr_BE")
        cls._make_mandate(cls.partner)
        cls.member = cls._make_member(cls.partner, credit_score=80.0)

    def test_french_member_gets_french_fee_lines(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-01")
        with freeze_time("2026-03-18"):
            self.env["account.move"]._cron_coop_late_fees()
        interest, penalty = self._fee_invoices(invoice, "late").invoice_line_ids.sorted("price_subtotal")
        self.assertEqual(
            interest.name,
            f"Intérêts de retard sur {invoice.name} : 1 % par mois sur 1.000,00\xa0€ pendant 45 jours du "
            "01/02/2026 au 18/03/2026 (art. 6.4.1)",
        )
        # the rates read "1 %" and "10 %" in the language, not "1.0 %" and "10.0 %"
        self.assertEqual(
            penalty.name,
            f"Clause pénale sur {invoice.name} : 10 % de 1.000,00\xa0€, minimum 150,00\xa0€ (art. 6.4.1)",
        )
