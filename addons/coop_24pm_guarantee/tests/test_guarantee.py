from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestGuarantee(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._make_member(cls._make_company("Garantie SRL", vat="BE0477472701"), regulation=cls.roi_2021)

    def test_art_7_1_amount_between_1000_and_10000(self):
        partner = self._make_company("Bornes SRL", vat="BE0403170701")
        with self.assertRaises(ValidationError):
            self._make_membership(partner, regulation=self.roi_2021, guarantee_amount=999.99)
        with self.assertRaises(ValidationError):
            self._make_membership(partner, regulation=self.roi_2021, guarantee_amount=10000.01)
        membership = self._make_membership(partner, regulation=self.roi_2021, guarantee_amount=10000.0)
        self.assertEqual(membership.guarantee_amount, 10000.0)

    def test_art_7_required_by_regulation(self):
        self.assertTrue(self.member.guarantee_required)
        self.assertEqual(self.member.guarantee_amount, 1000.0)
        partner = self._make_company("Score SRL", vat="BE0403170701")
        membership = self._make_membership(partner, regulation=self.roi_2023, credit_score=80.0)
        self.assertFalse(membership.guarantee_required)
        membership.credit_score = 49.0
        self.assertTrue(membership.guarantee_required)

    def test_amount_fixed_at_signature(self):
        with self.assertRaises(UserError):
            self.member.guarantee_amount = 5000.0
        self.assertEqual(self.member.guarantee_amount, 1000.0)

    def test_receipt_posted_on_deposits_account(self):
        gmove = self._receive_guarantee(self.member, 2000.0)
        move = gmove.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.company._coop_get_guarantee_journal())
        self.assertEqual(move.journal_id.code, "GAR")
        self.assertEqual(self.deposits_account.code, "488000")
        self.assertRecordValues(
            move.line_ids.sorted("credit"),
            [
                {
                    "account_id": self.bank_journal.default_account_id.id,
                    "debit": 2000.0,
                    "credit": 0.0,
                    "partner_id": self.member.partner_id.id,
                },
                {
                    "account_id": self.deposits_account.id,
                    "debit": 0.0,
                    "credit": 2000.0,
                    "partner_id": self.member.partner_id.id,
                },
            ],
        )
        self.assertFalse(move.line_ids.filtered(lambda line: line.account_id.internal_group == "income"))
        self.assertEqual(self.member._get_guarantee_paid(), 2000.0)
        self.assertEqual(self.member.guarantee_balance, 2000.0)

    def test_art_7_1_topup_above_10000_refused_nothing_posted(self):
        self._receive_guarantee(self.member, 6000.0)
        self._receive_guarantee(self.member, 3999.99, operation="topup")
        self.assertEqual(self.member._get_guarantee_paid(), 9999.99)
        moves_before = self.env["coop.guarantee.move"].search_count([])
        amls_before = self.env["account.move.line"].search_count([("account_id", "=", self.deposits_account.id)])
        with self.assertRaises(UserError):
            self._receive_guarantee(self.member, 0.02, operation="topup")  # total 10,000.01
        with self.assertRaises(UserError):
            self.member.action_request_topup(0.02)
        self.assertEqual(self.env["coop.guarantee.move"].search_count([]), moves_before)
        self.assertEqual(
            self.env["account.move.line"].search_count([("account_id", "=", self.deposits_account.id)]), amls_before
        )
        self.assertEqual(self._deposits_balance(self.member.partner_id), 9999.99)
        # exactly 10,000.00 is accepted
        request = self.member.action_request_topup(0.01)
        self.assertEqual(request.state, "requested")
        request.action_post()
        self.assertEqual(self.member._get_guarantee_paid(), 10000.0)

    def test_pending_request_counts_towards_the_maximum(self):
        self._receive_guarantee(self.member, 9000.0)
        self.member.action_request_topup(1000.0)
        with self.assertRaises(UserError):
            self.member.action_request_topup(0.01)

    def test_staff_draw_for_persistent_non_payment(self):
        self._receive_guarantee(self.member, 1000.0)
        invoice = self._post_invoice(self.member.partner_id, 1200.0, date="2026-02-01", due="2026-02-15")
        with freeze_time("2026-04-01"):
            self.member.action_draw_for_unpaid()
        self.assertEqual(invoice.amount_residual, 200.0)
        self.assertEqual(self.member._get_guarantee_paid(), 0.0)
        draw = self.member.guarantee_move_ids.filtered(lambda m: m.operation == "draw")
        self.assertRecordValues(draw, [{"amount": 1000.0, "invoice_id": invoice.id, "state": "posted"}])

    def test_art_7_3_refund_after_exit(self):
        self._receive_guarantee(self.member, 1500.0)
        with self.assertRaises(UserError):
            self.member.action_request_guarantee_refund()
        self.member.action_terminate(date=self._d("2026-06-30"))
        with freeze_time("2026-07-10"):
            self.member.action_request_guarantee_refund()
        self.assertEqual(str(self.member.guarantee_refund_deadline), "2027-07-10")  # 12 months (ROI 2021)
        self.member.action_refund_guarantee()
        self.assertEqual(self.member.guarantee_refund_state, "refunded")
        self.assertEqual(self._deposits_balance(self.member.partner_id), 0.0)
        refund = self.member.guarantee_move_ids.filtered(lambda m: m.operation == "refund")
        self.assertEqual(refund.amount, 1500.0)

    def test_art_7_3_refund_delay_2023_is_3_months(self):
        member = self._make_member(self._make_company("Court SRL", vat="BE0403170701"), regulation=self.roi_2023)
        member.action_terminate(date=self._d("2026-06-30"))
        with freeze_time("2026-07-01"):
            member.action_request_guarantee_refund()
        self.assertEqual(str(member.guarantee_refund_deadline), "2026-10-01")

    def test_cron_flags_unpaid_guarantee_after_30_days(self):
        # signed on 2026-01-05: due 2026-02-04
        self.assertEqual(str(self.member.guarantee_due_date), "2026-02-04")
        Membership = self.env["coop.membership"]
        with freeze_time("2026-02-04"):
            Membership._cron_coop_guarantee_followup()
        self.assertFalse(self.member.guarantee_overdue)
        with freeze_time("2026-02-05"):
            Membership._cron_coop_guarantee_followup()
        self.assertTrue(self.member.guarantee_overdue)
        self.assertTrue(self.member.activity_ids)
        self._receive_guarantee(self.member, 1000.0)
        with freeze_time("2026-02-06"):
            Membership._cron_coop_guarantee_followup()
        self.assertFalse(self.member.guarantee_overdue)

    def test_art_6_1_activation_needs_b2b_mandate_unless_prepayment(self):
        partner = self._make_company("Mandat SRL", vat="BE0403170701")
        membership = self._make_member(partner, activate=False, coop_payment_mode="direct_debit")
        with self.assertRaises(UserError):
            membership.action_activate()
        self._make_mandate(partner, scheme="CORE", reference="CORE-1")
        with self.assertRaises(UserError):
            membership.action_activate()
        self.assertEqual(membership.state, "registered")
        self._make_mandate(partner, iban="BE62 5100 0754 7061", scheme="B2B", reference="B2B-1")
        membership.action_activate()
        self.assertEqual(membership.state, "active")
        self.assertEqual(membership.mandate_id.scheme, "B2B")

    def test_prepayment_member_activates_without_mandate(self):
        partner = self._make_company("Prepaid SRL", vat="BE0403170701")
        membership = self._make_member(partner, activate=False)
        self.assertEqual(membership.coop_payment_mode, "prepayment")
        membership.action_activate()
        self.assertEqual(membership.state, "active")
