from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.smtp_catcher import SmtpCatcherMixin

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestDisputes(SmtpCatcherMixin, GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()
        cls.partner = cls._make_company("Litige SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.partner, regulation=cls.roi_2021)
        cls.invoice = cls._post_invoice(cls.partner, 1000.0, date="2026-02-01", due="2026-02-15")

    def _dispute(self, amount=400.0, on="2026-02-05", invoice=None):
        with freeze_time(on):
            return self.env["coop.invoice.dispute"].create(
                {
                    "invoice_id": (invoice or self.invoice).id,
                    "amount": amount,
                    "subject": "Hours not ordered",
                    "date_undisputed_payment": "2026-02-15",
                }
            )

    def test_art_6_3_within_10_days(self):
        with self.assertRaises(ValidationError):
            self._dispute(on="2026-02-12")
        self.assertFalse(self.env["coop.invoice.dispute"].search([]))
        dispute = self._dispute(on="2026-02-11")
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.membership_id, self.member)
        self.assertEqual(self.invoice.coop_disputed_amount, 400.0)
        self.assertEqual(self.invoice._coop_get_undisputed_residual(), 600.0)
        self.assertTrue(dispute.activity_ids)

    def test_disputed_amount_at_most_the_invoice(self):
        with self.assertRaises(ValidationError):
            self._dispute(amount=1000.01)
        with self.assertRaises(ValidationError):
            self._dispute(amount=0.0)
        self.assertFalse(self.env["coop.invoice.dispute"].search([]))
        self._dispute(amount=1000.0)

    def test_paid_invoice_is_accepted(self):
        invoice = self._post_invoice(self.partner, 300.0, date="2026-02-01")
        self._pay(invoice, 100.0)
        with self.assertRaises(ValidationError):
            self._dispute(amount=50.0, invoice=invoice)

    def test_answer_needs_reasons_and_rejection_makes_it_due(self):
        dispute = self._dispute()
        with self.assertRaises(UserError):
            dispute.action_reject("  ")
        self.assertEqual(dispute.state, "open")
        dispute.action_reject("The hours were ordered on 2026-01-20 by e-mail.")
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(self.invoice.coop_disputed_amount, 0.0)
        self.assertEqual(self.invoice._coop_get_undisputed_residual(), 1000.0)

    def test_art_6_3_persisting_dispute_allows_15_days_notice_by_24pm(self):
        """Either party may end with 15 days' notice when the dispute persists after the
        answer; 24PM's notice runs from its delivery (SPEC 7.3)."""
        dispute = self._dispute()
        with self.assertRaisesRegex(UserError, "persists"):
            self.member.action_give_dispute_notice(dispute, date_notice="2026-02-20", given_by="coop")
        self.assertEqual(self.member.state, "active")
        dispute.action_accept("The hours were not ordered: credit note issued.")
        with self.assertRaisesRegex(UserError, "persists"):
            self.member.action_give_dispute_notice(dispute, date_notice="2026-02-20", given_by="coop")
        rejected = self._dispute(amount=200.0, invoice=self._post_invoice(self.partner, 500.0, date="2026-02-01"))
        rejected.action_reject("The hours were ordered on 2026-01-20 by e-mail.")
        self.assertEqual(rejected.display_name, f"Dispute of {rejected.invoice_id.name}")
        self.env["res.partner"]._coop_create_agent(self.partner, "Lise Litige", "lise@litige.example.com")
        self._send_mail_queue()
        with freeze_time("2026-02-20 09:00:00"):
            self.member.action_give_dispute_notice(rejected, given_by="coop")
        self.assertRecordValues(self.member, [{"state": "notice", "date_end": False}])
        self.assertRecordValues(self.member.termination_id, [{"notice_given_by": "coop", "notice_days": 15}])
        # the mail leaves on 23 February: the contract ends 15 days after that delivery
        with freeze_time("2026-02-23 10:00:00"):
            self._send_mail_queue()
        self.assertIn("lise@litige.example.com", self.smtp.recipients())
        self.assertEqual(self.member.notice_ids.filtered(lambda n: n.kind == "notice").state, "delivered")
        self.assertEqual(str(self.member.date_end), "2026-03-10")

    def test_art_6_3_disputed_amount_not_drawn_at_termination(self):
        self._receive_guarantee(self.member, 2000.0)
        self._dispute(amount=400.0)
        self.member.action_terminate(date=self._d("2026-03-31"))
        draws = self.member.guarantee_id.move_ids.filtered(lambda m: m.operation == "draw")
        self.assertRecordValues(draws, [{"amount": 600.0, "invoice_id": self.invoice.id, "state": "posted"}])
        self.assertEqual(self.invoice.amount_residual, 400.0)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertEqual(self.member._get_guarantee_paid(), 1400.0)
        self.assertEqual(self._deposits_balance(self.partner), 1400.0)
        # the draw is reconciled with the invoice's receivable
        receivable = self.invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.matched_credit_ids.credit_move_id.move_id, draws.move_id)

    def test_draw_never_exceeds_the_undisputed_due(self):
        self._receive_guarantee(self.member, 2000.0)
        self._dispute(amount=400.0)
        draw = self.env["coop.guarantee.move"].create(
            {"membership_id": self.member.id, "operation": "draw", "amount": 600.01, "invoice_id": self.invoice.id}
        )
        with self.assertRaises(UserError):
            draw.action_post()
        self.assertEqual(self._deposits_balance(self.partner), 2000.0)
