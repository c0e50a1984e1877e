"""ROI 2021 art. 4.4.2: shares of a Partner member's company transferred to 24PM at EUR 1
each under a shareholders' agreement, booked, paid, shown in the balance sheet, and the
reverse booked when the stake ends."""

import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestArt442EquityStakes(CoopPlansCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stake_account = cls.env["account.account"].search(
            [*cls.env["account.account"]._check_company_domain(cls.env.company), ("code", "=", "284000")]
        )
        cls.partner_member = cls._make_plan_member("Equity Partner SRL", cls.partner_2021, "2026-01-01")

    def _stake(self, membership, quantity, date="2026-03-01", agreement=True):
        stake = self.env["coop.equity.stake"].create(
            {
                "partner_id": membership.partner_id.id,
                "membership_id": membership.id,
                "date": date,
                "quantity": quantity,
                "agreement_ref": "SHA-2026-01",
            }
        )
        if agreement:
            self.env["ir.attachment"].create(
                {
                    "name": "shareholders-agreement.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 agreement"),
                    "res_model": stake._name,
                    "res_id": stake.id,
                }
            )
        return stake

    def _account_balance(self, account, partner=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return round(sum(self.env["account.move.line"].search(domain).mapped("balance")), 2)

    def test_art_4_4_2_transfer_booked_paid_and_on_balance_sheet(self):
        stake = self._stake(self.partner_member, 250)
        self.assertEqual(stake.amount, 250.0)
        stake.action_book()
        bill = stake.move_id
        self.assertRecordValues(stake, [{"state": "held", "amount": 250.0}])
        self.assertRecordValues(
            bill,
            [
                {
                    "move_type": "in_invoice",
                    "state": "posted",
                    "partner_id": self.partner_member.partner_id.id,
                    "amount_total": 250.0,
                    "amount_tax": 0.0,
                    "payment_state": "not_paid",
                }
            ],
        )
        payable = self.partner_member.partner_id.property_account_payable_id
        self.assertRecordValues(
            bill.line_ids.sorted("balance"),
            [
                {"account_id": payable.id, "debit": 0.0, "credit": 250.0},
                {"account_id": self.stake_account.id, "debit": 250.0, "credit": 0.0},
            ],
        )
        self.assertEqual(self._account_balance(self.stake_account), 250.0)
        self.assertAlmostEqual(self._balance_sheet_rubric("rub_28", "2026-06-30"), 250.0, places=2)

        # paid as Odoo pays a bill: through the bank journal's outgoing payment
        bank = self.company_data["default_journal_bank"]
        action = stake.action_register_payment()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"payment_date": "2026-03-05", "journal_id": bank.id})
        )
        payment = wizard._create_payments()
        self.assertRecordValues(payment, [{"payment_type": "outbound", "amount": 250.0}])
        self.assertTrue(bill.line_ids.filtered(lambda line: line.account_id == payable).reconciled)
        self.assertEqual(self._account_balance(payable, self.partner_member.partner_id), 0.0)

    def test_art_4_4_2_end_books_the_reverse(self):
        held = self._stake(self.partner_member, 100)
        held.action_book()
        second_member = self._make_plan_member("Second Partner SRL", self.partner_2021, "2026-01-01")
        ended = self._stake(second_member, 40)
        ended.action_book()
        self.assertAlmostEqual(self._balance_sheet_rubric("rub_28", "2026-06-30"), 140.0, places=2)
        with self.assertRaises(UserError):
            ended.action_end()
        ended.write({"date_end": "2026-09-30", "end_reason": "returned"})
        ended.action_end()
        self.assertRecordValues(
            ended.end_move_id,
            [{"move_type": "in_refund", "state": "posted", "amount_total": 40.0, "date": ended.date_end}],
        )
        self.assertEqual(ended.state, "ended")
        self.assertEqual(self._account_balance(self.stake_account), 100.0)
        held_total = sum(self.env["coop.equity.stake"].search([("state", "=", "held")]).mapped("amount"))
        self.assertAlmostEqual(self._balance_sheet_rubric("rub_28", "2026-12-31"), held_total, places=2)
        self.assertAlmostEqual(held_total, 100.0, places=2)

    def test_art_4_4_2_agreement_required_before_booking(self):
        stake = self._stake(self.partner_member, 10, agreement=False)
        with self.assertRaises(UserError) as caught:
            stake.action_book()
        self.assertIn("ROI 2021 art. 4.4.2", str(caught.exception))
        self.assertRecordValues(stake, [{"state": "draft", "move_id": False}])
        self.assertEqual(self._account_balance(self.stake_account), 0.0)

    def test_art_4_4_2_only_partner_plans_of_2021(self):
        for name, plan in (("Standard 2021 SRL", self.standard_2021), ("Partner 2023 SRL", self.partner_2023)):
            member = self._make_plan_member(name, plan, "2026-01-01")
            count = self.env["coop.equity.stake"].search_count([])
            with self.assertRaises(ValidationError) as caught:
                self._stake(member, 10)
            self.assertIn("ROI 2021 art. 4.4.2", str(caught.exception))
            self.assertEqual(self.env["coop.equity.stake"].search_count([]), count)
        self.assertEqual(self._account_balance(self.stake_account), 0.0)

    def test_art_4_4_2_only_during_the_trial(self):
        self.assertEqual(str(self.partner_member.contract_id.coop_trial_end_date), "2026-06-30")
        with self.assertRaises(ValidationError) as caught:
            self._stake(self.partner_member, 10, date="2026-07-01")
        self.assertIn("ROI 2021 art. 4.4.2", str(caught.exception))
        self.assertFalse(self.env["coop.equity.stake"].search([("membership_id", "=", self.partner_member.id)]))

    def test_art_4_4_2_booked_stake_is_not_deleted(self):
        stake = self._stake(self.partner_member, 5)
        stake.action_book()
        with self.assertRaises(UserError):
            stake.unlink()
        with self.assertRaises(UserError):
            stake.action_book()
