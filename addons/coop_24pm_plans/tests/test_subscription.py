from datetime import date

from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestSubscription(CoopPlansCommon):
    def test_monthly_contribution_invoices_with_annual_fee(self):
        member = self._make_plan_member("Monthly Basic SRL", self.basic_2023, "2026-04-01")
        contract = member.contract_id
        self.assertTrue(contract)
        self.assertEqual(contract.coop_anchor_date, date(2026, 4, 1))
        self.assertEqual(member.contribution_amount, 300.0)
        self.assertEqual(member._get_monthly_contribution(), 300.0)
        self._run_contract_cron("2026-04-01")
        first = self._invoices(member, "contribution")
        self.assertEqual(len(first), 1)
        self.assertEqual(first.state, "posted")
        self.assertEqual(first.invoice_date, date(2026, 4, 1))
        self.assertRecordValues(
            first.invoice_line_ids.sorted("price_subtotal"),
            [
                {"product_id": self.env.ref("coop_24pm_plans.product_annual_fee").id, "price_subtotal": 50.0},
                {"product_id": self.basic_2023.product_id.id, "price_subtotal": 300.0},
            ],
        )
        self.assertEqual(member.contract_id.recurring_next_date, date(2026, 5, 1))
        self._run_contract_cron("2026-05-01")
        second = self._invoices(member, "contribution") - first
        self.assertEqual(second.invoice_line_ids.mapped("price_subtotal"), [300.0])
        # the cron running twice the same day bills nothing more
        self._run_contract_cron("2026-05-01")
        self.assertEqual(len(self._invoices(member, "contribution")), 2)

    def test_periods_follow_the_anniversary_date(self):
        member = self._make_plan_member("Anniversary SPRL", self.standard_2021, "2026-01-05")
        self._run_contract_cron("2026-01-05")
        invoice = self._invoices(member, "contribution")
        self.assertEqual(invoice.amount_untaxed, 500.0)  # no annual fee before the 2023 regime
        line = member.contract_id._get_plan_line()
        self.assertEqual(line.last_date_invoiced, date(2026, 2, 4))
        self.assertEqual(member.contract_id.recurring_next_date, date(2026, 2, 5))

    def test_member_without_plan_has_no_contract(self):
        member = self._make_member(self._make_company("No Plan SRL"), date="2026-01-05")
        self.assertFalse(member.contract_id)
        self.assertFalse(member.plan_id)
        self.assertEqual(member._get_monthly_contribution(), 0.0)

    def test_contribution_written_on_the_contract(self):
        member = self._make_plan_member("Negotiated SRL", self.standard_2023, "2026-04-01", contribution_amount=550.0)
        self._run_contract_cron("2026-04-01")
        invoice = self._invoices(member, "contribution")
        self.assertEqual(
            invoice.invoice_line_ids.filtered(
                lambda line: line.product_id == self.standard_2023.product_id
            ).price_subtotal,
            550.0,
        )
        self.assertEqual(member._get_monthly_contribution(), 550.0)
