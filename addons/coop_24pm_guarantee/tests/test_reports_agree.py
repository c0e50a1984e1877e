from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestReportsAgree(GuaranteeCommon):
    """What the member sees equals what the books say: the trust account against OCA's
    aged partner balance and trial balance (account_financial_report)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_a = cls._make_company("Livres SRL", vat="BE0477472701")
        cls.partner_b = cls._make_company("Chiffres SRL", vat="BE0403170701")
        cls.member_a = cls._make_member(cls.partner_a, regulation=cls.roi_2021)
        cls.member_b = cls._make_member(cls.partner_b, regulation=cls.roi_2021)
        cls._receive_guarantee(cls.member_a, 1000.0, date="2026-01-10")
        cls._receive_guarantee(cls.member_b, 2500.0, date="2026-01-12")

    def _aged_partner(self, partner, date_at):
        wizard = self.env["aged.partner.balance.report.wizard"].create(
            {
                "date_at": date_at,
                "receivable_accounts_only": True,
                "partner_ids": [partner.id],
                "company_id": self.env.company.id,
            }
        )
        wizard.onchange_type_accounts_only()
        data = wizard._prepare_report_data()
        data["date_at"] = str(data["date_at"])  # as the report action serialises it
        values = self.env["report.account_financial_report.aged_partner_balance"]._get_report_values(wizard, data)
        partners = [p for account in values["aged_partner_balance"] for p in account["partners"]]
        self.assertTrue(partners, "the partner has open receivables")
        residual = sum(p["residual"] for p in partners)
        current = sum(p["current"] for p in partners)
        return residual, residual - current

    def _trial_balance_ending(self, account, date_to):
        wizard = self.env["trial.balance.report.wizard"].create(
            {
                "date_from": "2026-01-01",
                "date_to": date_to,
                "company_id": self.env.company.id,
                "account_ids": [account.id],
            }
        )
        data = wizard._prepare_report_data()
        values = self.env["report.account_financial_report.trial_balance"]._get_report_values(wizard, data)
        return sum(line["ending_balance"] for line in values["trial_balance"] if line.get("id") == account.id)

    def test_guarantees_on_the_deposits_account_not_income(self):
        ending = self._trial_balance_ending(self.deposits_account, "2026-12-31")
        self.assertAlmostEqual(ending, -3500.0, places=2)
        guarantee_moves = (
            self.env["account.move.line"]
            .search([("account_id", "=", self.deposits_account.id), ("parent_state", "=", "posted")])
            .move_id
        )
        income = guarantee_moves.line_ids.filtered(
            lambda line: line.account_id.account_type in ("income", "income_other")
        )
        self.assertFalse(income, "a guarantee never touches an income account")

    def test_trust_account_equals_aged_partner_balance(self):
        self._post_invoice(self.partner_a, 1000.0, date="2026-02-01", due="2026-03-03")
        self._post_invoice(self.partner_a, 500.0, date="2026-04-10", due="2026-05-10")
        with freeze_time("2026-04-17"):
            trust = self.env["coop.trust.account"]._coop_get_values(self.member_a)
        residual, overdue = self._aged_partner(self.partner_a, "2026-04-17")
        # 1,000 + 500 + the unpaid B share (1.00)
        self.assertAlmostEqual(trust["outstanding"], 1501.0, places=2)
        self.assertAlmostEqual(residual, trust["outstanding"], places=2)
        self.assertAlmostEqual(overdue, trust["overdue"], places=2)
        self.assertAlmostEqual(trust["guarantee_balance"], 1000.0, places=2)
        self.assertAlmostEqual(trust["guarantee_balance"], self._deposits_balance(self.partner_a), places=2)

    def test_trust_account_equals_the_ledger_with_an_overpayment(self):
        """A payment not matched to an invoice (here the 468.39 a bank transfer paid beyond
        its invoice) is the member's credit: deducted from what it owes, as the ledger does."""
        first = self._post_invoice(self.partner_a, 730.55, date="2026-02-01", due="2026-02-11")
        self._post_invoice(self.partner_a, 730.55, date="2026-03-01", due="2026-03-11")
        receivable_account = self.partner_a.property_account_receivable_id
        # the member's transfer on the bank statement, booked on its receivable and matched
        # with the first invoice in OCA's reconciliation screen: 468.39 too much
        statement_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": "2026-02-10",
                "amount": 1198.94,
                "partner_id": self.partner_a.id,
                "payment_ref": first.name,
                "counterpart_account_id": receivable_account.id,
            }
        )
        received = statement_line.move_id.line_ids.filtered(lambda line: line.account_id == receivable_account)
        (received | first.line_ids.filtered(lambda line: line.account_id == receivable_account)).reconcile()
        self.assertEqual(first.payment_state, "paid")
        self.assertAlmostEqual(received.amount_residual, -468.39, places=2)
        with freeze_time("2026-04-17"):
            trust = self.env["coop.trust.account"]._coop_get_values(self.member_a)
        residual, _overdue = self._aged_partner(self.partner_a, "2026-04-17")
        ledger = sum(
            self.env["account.move.line"]
            .search(
                [
                    ("partner_id", "=", self.partner_a.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                ]
            )
            .mapped("balance")
        )
        # 730.55 + the unpaid B share (1.00) less the 468.39 received too much
        self.assertEqual(
            {key: trust[key] for key in ("invoiced", "paid", "outstanding", "credits", "owed_to_member")},
            {"invoiced": 2462.10, "paid": 2198.94, "outstanding": 263.16, "credits": 468.39, "owed_to_member": 0.0},
        )
        self.assertEqual(self.env.company.currency_id.compare_amounts(ledger, trust["outstanding"]), 0)
        self.assertAlmostEqual(residual, trust["outstanding"], places=2)
        # once the member is in credit, the credit is owed to it
        self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": "2026-04-20",
                "amount": 500.0,
                "partner_id": self.partner_a.id,
                "payment_ref": "Payment on account",
                "counterpart_account_id": receivable_account.id,
            }
        )
        with freeze_time("2026-04-21"):
            trust = self.env["coop.trust.account"]._coop_get_values(self.member_a)
        self.assertEqual((trust["outstanding"], trust["owed_to_member"]), (0.0, 236.84))
