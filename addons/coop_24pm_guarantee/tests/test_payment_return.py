import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open

from .common import GuaranteeCommon

SAMPLE = "coop_24pm_guarantee/data/bank_samples/pain002_return_sample.xml"
CAMT054 = "coop_24pm_guarantee/data/bank_samples/camt054_return_sample.xml"


@tagged("post_install", "-at_install")
class TestPaymentReturn(GuaranteeCommon):
    """SPEC 7.2: a debit returned in the bank's pain.002 file reopens the invoice; the EUR 15
    fee, the retry and the late interest from the due date follow (art. 6.4.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Retour SRL", vat="BE0477472701")
        cls.mandate = cls._make_mandate(cls.partner, reference="MDT-RETURN-1")
        cls.member = cls._make_member(cls.partner, credit_score=80.0)
        cls._pay(cls.member.share_line_ids.move_id, 1.0, date="2026-01-06")
        cls.invoice = cls._post_invoice(cls.partner, 2400.0, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-11"):
            cls.order = cls.env["account.move"]._cron_coop_direct_debit()
            cls.order.draft2open()
            cls.order.open2generated()
            cls.order.generated2uploaded()
        cls.payment = cls.order.payment_ids

    def _import(self, end_to_end=None, amount="2400.00", sample_path=SAMPLE):
        with file_open(sample_path, "rb") as sample:
            data = sample.read()
        data = data.replace(b"24PM-E2E-1", str(end_to_end or self.payment.id).encode())
        data = data.replace(
            b'<InstdAmt Ccy="EUR">2400.00</InstdAmt>', f'<InstdAmt Ccy="EUR">{amount}</InstdAmt>'.encode()
        )
        wizard = self.env["payment.return.import"].create({"data_file": base64.b64encode(data)})
        action = wizard.import_file()
        return self.env["payment.return"].browse(action.get("res_id")) or self.env["payment.return"].search(
            action["domain"]
        )

    def test_art_6_4_1_returned_debit_from_the_bank_file(self):
        self.assertEqual(len(self.payment), 1)
        self.assertEqual(self.invoice.payment_state, "in_payment")
        payment_return = self._import()
        self.assertEqual(payment_return.line_ids.reason_id.code, "AM04")
        with freeze_time("2026-02-16"):
            payment_return.action_confirm()
        self.assertEqual(payment_return.state, "done")
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertEqual(self.invoice.amount_residual, 2400.0)
        rejection = self.env["coop.debit.rejection"].search([("invoice_id", "=", self.invoice.id)])
        self.assertRecordValues(
            rejection,
            [
                {
                    "reason": "AM04",
                    "payment_return_id": payment_return.id,
                    "fee_amount": 15.0,
                    "date": self._d("2026-02-16"),
                }
            ],
        )
        self.assertEqual(str(self.invoice.coop_debit_retry_date), "2026-02-21")
        # late from its due date, not from the return: 100 days on 2026-05-22
        with freeze_time("2026-05-22"):
            self.invoice.coop_debit_retry_date = False
            self.env["account.move"]._cron_coop_late_fees()
        lines = self._fee_invoices(self.invoice, "late").invoice_line_ids.sorted("price_subtotal")
        self.assertRecordValues(lines, [{"price_subtotal": 80.0}, {"price_subtotal": 240.0}])

    def test_return_for_an_unknown_debit_changes_nothing(self):
        payment_return = self._import(end_to_end="999999999")
        with self.assertRaisesRegex(
            UserError, r"Return line 999999999 \(2,400.00\xa0€\) matches no direct debit collected by 24PM"
        ):
            payment_return.action_confirm()
        self.assertEqual(payment_return.state, "draft")
        self.assertEqual(self.invoice.payment_state, "in_payment")
        self.assertFalse(self.env["coop.debit.rejection"].search([("invoice_id", "=", self.invoice.id)]))

    def test_return_for_another_amount_changes_nothing(self):
        payment_return = self._import(amount="2000.00")
        with self.assertRaisesRegex(
            UserError, rf"Return line {self.payment.id} is for 2,000.00\xa0€ but the debit collected was 2,400.00\xa0€"
        ):
            payment_return.action_confirm()
        self.assertEqual(self.invoice.payment_state, "in_payment")
        self.assertFalse(self.env["coop.debit.rejection"].search([("invoice_id", "=", self.invoice.id)]))

    def test_manual_return_does_the_same(self):
        payment_return = self._return_debit(self.payment.move_id, 2400.0)
        self.assertEqual(self.invoice.payment_state, "not_paid")
        rejection = self.env["coop.debit.rejection"].search([("invoice_id", "=", self.invoice.id)])
        self.assertRecordValues(
            rejection, [{"reason": "AM04", "fee_amount": 15.0, "payment_return_id": payment_return.id}]
        )

    def test_returned_debit_from_a_camt054_notification(self):
        payment_return = self._import(sample_path=CAMT054)
        self.assertRecordValues(payment_return.line_ids, [{"amount": 2400.0, "reference": str(self.payment.id)}])
        with freeze_time("2026-02-16"):
            payment_return.action_confirm()
        self.assertEqual(self.invoice.payment_state, "not_paid")
        rejection = self.env["coop.debit.rejection"].search([("invoice_id", "=", self.invoice.id)])
        self.assertRecordValues(rejection, [{"reason": "AM04", "fee_amount": 15.0}])
