from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestLateFeesOwedByCoop(GuaranteeCommon):
    """SPEC 7.1, art. 6.4.2: what 24PM pays its members late bears the same interest and
    penalty, booked as a vendor bill to the member, not only displayed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Créancier SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.partner, credit_score=80.0)
        cls.expense_account = cls.company_data["default_account_expense"]

    def _bill(self, amount, date="2026-02-01", due="2026-02-11"):
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.partner.id,
                "invoice_date": date,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Work for 24PM",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": self.expense_account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        bill.action_post()
        return bill

    def _owed_bills(self, origin):
        return self.env["account.move"].search([("coop_fee_origin_id", "=", origin.id), ("coop_fee_kind", "=", "owed")])

    def test_art_6_4_2_late_payment_of_a_member_bill_booked(self):
        bill = self._bill(2400.0)
        with freeze_time("2026-05-22"):  # 100 days after the due date
            self.assertEqual(
                self.env["coop.trust.account"]._coop_get_values(self.member)["late_fees_owed_to_member"], 320.0
            )
            self.env["account.move"]._cron_coop_late_fees_owed()
            owed = self._owed_bills(bill)
            values = self.env["coop.trust.account"]._coop_get_values(self.member)
        self.assertRecordValues(
            owed, [{"move_type": "in_invoice", "state": "posted", "partner_id": self.partner.id, "amount_total": 320.0}]
        )
        lines = owed.invoice_line_ids.sorted("price_subtotal")
        self.assertRecordValues(lines, [{"price_subtotal": 80.0}, {"price_subtotal": 240.0}])
        self.assertIn("Late interest owed by 24PM", lines[0].name)
        self.assertIn(": 1 % per month on 2,400.00\xa0€ for 100 days from 02/11/2026 to 05/22/2026", lines[0].name)
        self.assertIn(": 10 % of 2,400.00\xa0€, minimum 150.00\xa0€ (art. 6.4.2)", lines[1].name)
        self.assertEqual(lines.account_id.code[:2], "65")
        # booked: counted among what 24PM owes, no longer as a live estimate
        self.assertEqual(values["late_fees_owed_to_member"], 0.0)
        self.assertEqual(values["owed_to_member"], 2720.0)
        # once: a second run books nothing more; a month later, the interest only
        with freeze_time("2026-05-22"):
            self.env["account.move"]._cron_coop_late_fees_owed()
        self.assertEqual(len(self._owed_bills(bill)), 1)
        with freeze_time("2026-06-21"):
            self.env["account.move"]._cron_coop_late_fees_owed()
        later = self._owed_bills(bill) - owed
        self.assertRecordValues(later.invoice_line_ids, [{"price_subtotal": 24.0}])  # 2,400 x 1 % x 30 / 30
        self.assertFalse(self._owed_bills(owed), "no interest on the interest")

    def test_art_6_4_2_guarantee_refund_paid_late_booked(self):
        self._receive_guarantee(self.member, 1000.0)
        self.member.action_terminate(date=self._d("2026-06-30"))
        with freeze_time("2026-07-10"):
            self.member.action_request_guarantee_refund()
            self.member.guarantee_id.refund_id.action_refund()
        refund = self.member.guarantee_id.move_ids.filtered(lambda m: m.operation == "refund").move_id
        self.assertRecordValues(refund, [{"coop_pays_out": True, "invoice_date_due": self._d("2026-07-20")}])
        with freeze_time("2026-07-20"):
            self.env["account.move"]._cron_coop_late_fees_owed()
        self.assertFalse(self._owed_bills(refund), "not late on its due date")
        with freeze_time("2026-08-19"):  # 30 days late
            self.env["account.move"]._cron_coop_late_fees_owed()
        lines = self._owed_bills(refund).invoice_line_ids.sorted("price_subtotal")
        # 1,000 x 1 % x 30 / 30 = 10.00; penalty 10 % = 100.00, so the minimum 150.00
        self.assertRecordValues(lines, [{"price_subtotal": 10.0}, {"price_subtotal": 150.0}])

    def test_art_6_4_2_paid_in_time_nothing_booked(self):
        bill = self._bill(500.0)
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=bill.ids).create(
            {"payment_date": "2026-02-10"}
        )._create_payments()
        with freeze_time("2026-05-22"):
            self.env["account.move"]._cron_coop_late_fees_owed()
        self.assertFalse(self._owed_bills(bill))
