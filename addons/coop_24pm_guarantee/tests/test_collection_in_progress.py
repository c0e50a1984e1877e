from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestCollectionInProgress(GuaranteeCommon):
    """An invoice in a direct-debit order not uploaded yet is settled by that order only
    (``account.move.line._coop_check_not_in_pending_payment_order``): the replayed year's
    invoice set off against a credit note while its order was confirmed, then collected in
    full by the bank, left 468.39 paid twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Collecte SRL", vat="BE0477472701")
        cls.mandate = cls._make_mandate(cls.partner, reference="MDT-COLLECT-1")
        cls.member = cls._make_member(cls.partner)
        cls._pay(cls.member.share_line_ids.move_id, 1.0, date="2026-01-06")
        cls.invoice = cls._post_invoice(cls.partner, 2053.98, date="2026-02-01", due="2026-02-11")
        with freeze_time("2026-02-11"):
            cls.order = cls.env["account.move"]._cron_coop_direct_debit()
            cls.order.draft2open()
        # then the plan is downgraded: part of the month credited, once the order is confirmed
        # (before it, the debit job sets a credit note off itself: test_direct_debit)
        cls.refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.partner.id,
                "invoice_date": "2026-02-12",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Plan downgrade",
                            "quantity": 1,
                            "price_unit": 468.39,
                            "account_id": cls.income_account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        cls.refund.action_post()

    def _receivable(self, move):
        return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    def _ledger(self):
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.partner.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def _assert_unchanged(self):
        self.assertRecordValues(
            self.invoice | self.refund,
            [
                {"amount_residual": 2053.98, "payment_state": "not_paid"},
                {"amount_residual": 468.39, "payment_state": "not_paid"},
            ],
        )
        self.assertEqual(self.order.state, "open")
        self.assertRecordValues(self.order.payment_line_ids, [{"amount_currency": 2053.98}])
        self.assertEqual(self.order.payment_ids.amount, 2053.98)

    def _take_out_of_order(self):
        """What the message says: a confirmed order is cancelled, set back to draft and the
        line removed."""
        self.order.action_cancel()
        self.order.cancel2draft()
        self.order.payment_line_ids.filtered(lambda pl: pl.move_line_id.move_id == self.invoice).unlink()

    def test_replay_set_off_refused_while_collecting_then_collected_once(self):
        self.assertRecordValues(self.order.payment_line_ids, [{"amount_currency": 2053.98}])
        message = (
            rf"{self.invoice.name} is in payment order {self.order.name}, which is not uploaded to the bank yet: "
            r"only that order's payment may settle it.*Take it out of the order first \(cancel the order, set it "
            r"back to draft, remove the line and confirm the order again\) or cancel the order.*Nothing was changed"
        )
        # the accountant's set-off of the credit note against the invoice
        with self.assertRaisesRegex(UserError, message):
            (self._receivable(self.invoice) | self._receivable(self.refund)).reconcile()
        self._assert_unchanged()
        # the same from the invoice's "outstanding credits" widget
        with self.assertRaisesRegex(UserError, message):
            self.invoice.js_assign_outstanding_line(self._receivable(self.refund).id)
        self._assert_unchanged()
        # and a payment registered by hand
        with self.assertRaisesRegex(UserError, message):
            wizard = Form(
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=self.invoice.ids
                )
            ).save()
            wizard.action_create_payments()
        self._assert_unchanged()

        self._take_out_of_order()
        self.invoice.js_assign_outstanding_line(self._receivable(self.refund).id)
        self.assertRecordValues(
            self.invoice | self.refund,
            [
                {"amount_residual": 1585.59, "payment_state": "partial"},
                {"amount_residual": 0.0, "payment_state": "paid"},
            ],
        )
        # presented again: the order collects what remains, and nothing is left over
        with freeze_time("2026-02-12"):
            orders = self.env["account.move"]._cron_coop_direct_debit()
            self.assertEqual(orders, self.order)
            self.assertRecordValues(self.order.payment_line_ids, [{"amount_currency": 1585.59}])
            self.order.draft2open()
            self.order.open2generated()
            self.order.generated2uploaded()
        self.assertEqual(self.order.payment_ids.amount, 1585.59)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self._ledger(), 0.0)
        open_items = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.partner.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ]
        )
        self.assertFalse(open_items, "no unmatched credit on the member's receivable")
        trust = self.env["coop.trust.account"]._coop_get_values(self.member)
        self.assertEqual((trust["outstanding"], trust["credits"], trust["owed_to_member"]), (0.0, 0.0, 0.0))

    def test_cancelled_order_lets_the_set_off_through(self):
        self.order.action_cancel()
        (self._receivable(self.invoice) | self._receivable(self.refund)).reconcile()
        self.assertEqual(self.invoice.amount_residual, 1585.59)

    def test_guarantee_draw_on_an_invoice_being_collected_refused(self):
        self._receive_guarantee(self.member, 2500.0)
        draw = self.env["coop.guarantee.move"].create(
            {"membership_id": self.member.id, "operation": "draw", "amount": 500.0, "invoice_id": self.invoice.id}
        )
        with self.assertRaisesRegex(UserError, rf"{self.invoice.name} is in payment order {self.order.name}"):
            draw.action_post()
        self._assert_unchanged()
        # nothing overdue and undisputed that no order collects: the draw for unpaid skips it
        with freeze_time("2026-03-20"), self.assertRaisesRegex(UserError, "Nothing overdue and undisputed"):
            self.member.action_draw_for_unpaid()
        self._assert_unchanged()

    def test_upload_reconciles_the_order_and_a_return_reopens(self):
        with freeze_time("2026-02-11"):
            self.order.open2generated()
            self.order.generated2uploaded()
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self._return_debit(self.order.payment_ids.move_id, 2053.98)
        self.assertEqual(self.invoice.amount_residual, 2053.98)
        # the bank returned it: the order no longer collects it, the set-off goes through
        (self._receivable(self.invoice) | self._receivable(self.refund)).reconcile()
        self.assertEqual(self.invoice.amount_residual, 1585.59)

    def test_settled_invoice_cannot_enter_an_order(self):
        paid = self._post_invoice(self.partner, 100.0, date="2026-02-01", due="2026-02-11")
        self._pay(paid, 100.0)
        paid.payment_mode_id = self.sdd_mode
        # OCA's own "Add to payment order" refuses a document with nothing left to settle
        with self.assertRaisesRegex(UserError, rf"No pending AR/AP lines to add on {paid.name}"):
            paid.create_account_payment_line()
        with freeze_time("2026-02-12"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertFalse(self._receivable(paid).payment_line_ids)

    def test_statement_line_left_for_staff_while_collecting(self):
        """The member also pays the invoice by transfer: the statement's automatic matching
        leaves the line for staff (refusing would stop the import), and staff are told why."""
        self.invoice.payment_reference = "+++000/0001/00333+++"
        st_line = (
            self.env["account.bank.statement.line"]
            .with_context(_test_account_reconcile_oca=True)
            .create(
                {
                    "journal_id": self.bank_journal.id,
                    "date": "2026-02-12",
                    "amount": 2053.98,
                    "partner_id": self.partner.id,
                    "payment_ref": "+++000/0001/00333+++",
                }
            )
        )
        # OCA's own matching, by the invoice number, does the same
        by_number = (
            self.env["account.bank.statement.line"]
            .with_context(_test_account_reconcile_oca=True)
            .create(
                {
                    "journal_id": self.bank_journal.id,
                    "date": "2026-02-12",
                    "amount": 2053.98,
                    "partner_id": self.partner.id,
                    "payment_ref": self.invoice.name,
                }
            )
        )
        self.assertFalse((st_line | by_number).filtered("is_reconciled"))
        self._assert_unchanged()
        with self.assertRaisesRegex(UserError, rf"{self.invoice.name} is in payment order {self.order.name}"):
            st_line._coop_reconcile_receivables(self._receivable(self.invoice))
        self.assertFalse(st_line.is_reconciled)
        self._assert_unchanged()

    def test_create_payment_lines_wizard_proposes_no_settled_item(self):
        paid = self._post_invoice(self.partner, 100.0, date="2026-02-01", due="2026-02-11")
        self._pay(paid, 100.0)
        unpaid = self._post_invoice(self.partner, 50.0, date="2026-02-01", due="2026-02-11")
        order = self.env["account.payment.order"].create({"payment_mode_id": self.sdd_mode.id})
        wizard = (
            self.env["account.payment.line.create"]
            .with_context(active_model="account.payment.order", active_id=order.id)
            .create(
                {
                    "order_id": order.id,
                    "date_type": "move",
                    "filter_date": "2026-12-31",
                    "payment_mode": "any",
                    "target_move": "posted",
                }
            )
        )
        wizard.populate()
        self.assertIn(self._receivable(unpaid), wizard.move_line_ids)
        self.assertNotIn(self._receivable(paid), wizard.move_line_ids)

    def test_taken_out_of_a_generated_order_the_rest_is_collected(self):
        """What the end of a contract does (``_coop_take_out_of_payment_orders``) to an order
        whose file was generated: the line and its share of the payment leave, the order
        goes back to confirmed, its file to generate again; the rest is collected."""
        other = self._post_invoice(self.partner, 300.0, date="2026-02-01", due="2026-02-11")
        other.payment_mode_id = self.sdd_mode
        self.order.action_cancel()
        self.order.cancel2draft()
        other.create_account_payment_line()
        with freeze_time("2026-02-11"):
            self.order.draft2open()
            self.order.open2generated()
        self.assertEqual(self.order.payment_ids.amount, 2353.98, "one payment of the member for both invoices")
        self._receivable(self.invoice)._coop_take_out_of_payment_orders("the test says so.")
        self.assertEqual(self.order.state, "open")
        self.assertRecordValues(self.order.payment_line_ids, [{"amount_currency": 300.0}])
        self.assertRecordValues(self.order.payment_ids, [{"amount": 300.0, "state": "draft"}])
        self.assertIn("generate the file again", " ".join(self.order.message_ids.mapped("preview")))
        (self._receivable(self.invoice) | self._receivable(self.refund)).reconcile()
        with freeze_time("2026-02-12"):
            self.order.open2generated()
            self.order.generated2uploaded()
        self.assertRecordValues(self.invoice | other, [{"amount_residual": 1585.59}, {"amount_residual": 0.0}])
        self.assertEqual(self._ledger(), 1585.59)

    def test_refusal_in_the_staff_language(self):
        lines = self._receivable(self.invoice) | self._receivable(self.refund)
        for lang, text in (
            ("fr_BE", f"{self.invoice.name} figure dans l'ordre de paiement {self.order.name}, pas encore transmis"),
            ("nl_BE", f"{self.invoice.name} staat in betalingsopdracht {self.order.name}, die nog niet naar de bank"),
        ):
            self.env["res.lang"]._activate_lang(lang)
            with self.subTest(lang=lang), self.assertRaisesRegex(UserError, text):
                lines.with_context(lang=lang).reconcile()
        self._assert_unchanged()
