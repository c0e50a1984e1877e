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
            trust = self.member_a._get_trust_account_values()
        residual, overdue = self._aged_partner(self.partner_a, "2026-04-17")
        # 1,000 + 500 + the unpaid B share (1.00)
        self.assertAlmostEqual(trust["outstanding"], 1501.0, places=2)
        self.assertAlmostEqual(residual, trust["outstanding"], places=2)
        self.assertAlmostEqual(overdue, trust["overdue"], places=2)
        self.assertAlmostEqual(trust["guarantee_balance"], 1000.0, places=2)
        self.assertAlmostEqual(trust["guarantee_balance"], self._deposits_balance(self.partner_a), places=2)
