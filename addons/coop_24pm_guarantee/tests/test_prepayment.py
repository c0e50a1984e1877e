from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestPrepayment(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Avance SRL", vat="BE0477472701")
        cls.member = cls._make_member(
            cls.partner,
            credit_score=80.0,
            prepayment_amount=500.0,
            prepayment_frequency="monthly",
        )
        cls.account = cls.member._get_prepayment_account()
        cls.account.next_date = "2026-02-01"
        # the B share subscription is settled first so that only service invoices remain
        cls._pay(cls.member.share_line_ids.move_id, 1.0, date="2026-01-06")

    def test_art_6_1_prepayments_invoiced_and_applied(self):
        self.assertEqual(self.member.coop_payment_mode, "prepayment")
        with freeze_time("2026-02-01"):
            self.env["coop.prepayment.account"]._cron_prepayments()
        prepayment = self.env["account.move"].search(
            [("coop_is_prepayment", "=", True), ("partner_id", "=", self.partner.id)]
        )
        self.assertRecordValues(prepayment, [{"amount_total": 500.0, "state": "posted"}])
        self.assertEqual(prepayment.invoice_line_ids.account_id.code, "460000")
        self.assertEqual(str(self.account.next_date), "2026-03-01")
        # not paid yet: nothing to apply
        service = self._post_invoice(self.partner, 300.0, date="2026-02-10")
        self.assertEqual(service.amount_residual, 300.0)
        self.assertEqual(self.account._get_available(), 0.0)
        self._pay(prepayment, 500.0, date="2026-02-12")
        self.assertEqual(self.account._get_available(), 500.0)
        with freeze_time("2026-02-12"):
            self.env["coop.prepayment.account"]._cron_prepayments()
        self.assertEqual(service.payment_state, "paid")
        self.assertEqual(self.account._get_available(), 200.0)
        # a new invoice is settled from the prepayment when it is posted
        second = self._post_invoice(self.partner, 400.0, date="2026-02-20")
        self.assertEqual(second.amount_residual, 200.0)
        self.assertEqual(self.account._get_available(), 0.0)
