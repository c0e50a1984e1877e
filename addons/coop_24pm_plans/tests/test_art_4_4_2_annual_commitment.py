from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestAnnualCommitment(CoopPlansCommon):
    def _annual_member(self, name):
        member = self._make_plan_member(name, self.basic_2023, "2026-01-01", commitment="annual")
        self._run_contract_cron("2026-01-01")
        invoice = self._invoices(member, "contribution_annual")
        return member, invoice

    def test_annual_basic_invoiced_ten_months(self):
        member, invoice = self._annual_member("Annual Basic SRL")
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            invoice.invoice_line_ids.filtered(
                lambda line: line.product_id == self.basic_2023.product_id
            ).price_subtotal,
            3000.0,
        )
        self.assertEqual(member.contract_id.recurring_next_date, date(2027, 1, 1))
        self.assertEqual(member._get_monthly_contribution(), 300.0)
        # nothing more during the year
        self._run_contract_cron("2026-06-01")
        self.assertEqual(len(self._invoices(member, "contribution_annual")), 1)
        # auto-renewal on the anniversary
        self._run_contract_cron("2027-01-01")
        self.assertEqual(len(self._invoices(member, "contribution_annual")), 2)

    def test_free_months_due_when_paid_eleven_days_late(self):
        member, invoice = self._annual_member("Late Payer SRL")
        due = invoice.invoice_date_due
        with freeze_time(due + timedelta(days=10)):
            self.env["account.move"]._cron_coop_annual_free_months()
        self.assertFalse(self._invoices(member, "free_months"))
        with freeze_time(due + timedelta(days=11)):
            self.env["account.move"]._cron_coop_annual_free_months()
            self.env["account.move"]._cron_coop_annual_free_months()
        free = self._invoices(member, "free_months")
        self.assertEqual(len(free), 1)
        self.assertEqual(free.state, "posted")
        self.assertEqual(free.amount_untaxed, 600.0)
        self.assertEqual(invoice.coop_free_months_move_id, free)

    def test_paid_in_time_no_free_months_due(self):
        member, invoice = self._annual_member("Good Payer SRL")
        with freeze_time("2026-01-05"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
        self.assertEqual(invoice.payment_state, "paid")
        with freeze_time("2026-02-15"):
            self.env["account.move"]._cron_coop_annual_free_months()
        self.assertFalse(self._invoices(member, "free_months"))

    def _pay_on(self, invoice, payment_date):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": payment_date}
        )._create_payments()

    def test_art_4_4_2_paid_one_day_late_recorded_before_the_job_loses_the_free_months(self):
        """SPEC 7.2: the date of the money decides, not the day the job runs."""
        member, invoice = self._annual_member("Recorded Early SRL")
        due = invoice.invoice_date_due
        self._pay_on(invoice, due + timedelta(days=11))
        self.assertEqual(invoice.payment_state, "paid")
        with freeze_time(due + timedelta(days=20)):
            self.env["account.move"]._cron_coop_annual_free_months()
        free = self._invoices(member, "free_months")
        self.assertEqual(free.amount_untaxed, 600.0)
        self.assertEqual(invoice.coop_free_months_move_id, free)

    def test_art_4_4_2_paid_on_the_last_day_recorded_late_keeps_the_free_months(self):
        member, invoice = self._annual_member("Recorded Late SRL")
        due = invoice.invoice_date_due
        with freeze_time(due + timedelta(days=25)):
            self._pay_on(invoice, due + timedelta(days=10))
            self.env["account.move"]._cron_coop_annual_free_months()
        self.assertFalse(self._invoices(member, "free_months"))
        self.assertTrue(invoice.coop_paid_in_time)

    def _upgrade_lines(self, move):
        return [
            (line.product_id, line.price_subtotal)
            for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product").sorted("id")
        ]

    def test_art_4_4_2_upgrade_mid_year_takes_effect_next_year_difference_invoiced_at_once(self):
        """Confirmed on 12 April, the next year not invoiced yet: Standard from 1 January,
        and the difference for the year already covered (paid at the Basic price) is
        invoiced on confirmation: (600.00 - 300.00) x 10 months = 3,000.00."""
        member, _invoice = self._annual_member("Annual Upgrade SRL")
        change = self._request_change(member, self.standard_2023, "2026-04-12")
        self.assertRecordValues(change, [{"date_effective": date(2027, 1, 1), "state": "confirmed"}])
        adjustment = change.adjustment_move_id
        self.assertRecordValues(
            adjustment,
            [
                {
                    "state": "posted",
                    "move_type": "out_invoice",
                    "coop_invoice_kind": "adjustment",
                    "invoice_date": date(2026, 4, 12),
                    "amount_untaxed": 3000.0,
                }
            ],
        )
        self.assertEqual(self._upgrade_lines(adjustment), [(self.standard_2023.product_id, 3000.0)])
        line = adjustment.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(
            line.account_id,
            self.standard_2023._coop_get_income_account("contribution_account_id", member.company_id),
        )
        self.assertIn("4.4.2", line.name)
        # the plan (and its margin) changes only on the first day of the next year
        self.assertEqual(member._get_plan_margin(date(2026, 12, 31)), 0.38)
        self.assertEqual(member._get_plan_margin(date(2027, 1, 1)), 0.15)
        self._run_contract_cron("2027-01-01")
        renewal = self._invoices(member, "contribution_annual").filtered(lambda m: m.invoice_date == date(2027, 1, 1))
        self.assertEqual(
            renewal.invoice_line_ids.filtered(
                lambda line: line.product_id == self.standard_2023.product_id
            ).price_subtotal,
            6000.0,
        )
        self.assertFalse(renewal.invoice_line_ids.filtered(lambda line: line.product_id == self.basic_2023.product_id))
        # nothing more for the change: one adjustment only
        self.assertEqual(len(self._invoices(member, "adjustment")), 1)

    def test_art_4_4_2_upgrade_after_the_new_year_is_invoiced_charges_the_difference(self):
        """The next year was already invoiced at the Basic price: the same difference for
        the year covered, plus the renewal corrected to the Standard price."""
        member = self._make_plan_member("Covered SRL", self.basic_2023, "2026-01-01", commitment="annual")
        self._run_contract_cron("2026-01-01")
        self._run_contract_cron("2027-01-01")
        change = self._request_change(member, self.standard_2023, "2026-12-31")
        self.assertEqual(change.date_effective, date(2027, 1, 1))
        adjustment = change.adjustment_move_id
        self.assertEqual(
            self._upgrade_lines(adjustment),
            [
                (self.basic_2023.product_id, -3000.0),  # the 2027 renewal at the Basic price, credited
                (self.standard_2023.product_id, 6000.0),  # 2027 at the Standard price
                (self.standard_2023.product_id, 3000.0),  # the difference for 2026, the year covered
            ],
        )
        self.assertEqual(adjustment.amount_untaxed, 6000.0)
        self.assertEqual(adjustment.state, "posted")

    def test_art_4_4_2_annual_downgrade_invoices_nothing(self):
        member = self._make_plan_member("Downgrade SRL", self.standard_2023, "2026-01-01", commitment="annual")
        self._run_contract_cron("2026-01-01")
        change = self._request_change(member, self.basic_2023, "2026-04-12")
        self.assertEqual(change.date_effective, date(2027, 1, 1))
        self.assertFalse(change.adjustment_move_id)
        self.assertFalse(self._invoices(member, "adjustment"))

    def test_art_4_4_2_preview_states_the_difference(self):
        member, _invoice = self._annual_member("Preview SRL")
        with freeze_time("2026-04-12"):
            change = self.env["coop.plan.change"].create(
                {"membership_id": member.id, "new_plan_id": self.standard_2023.id}
            )
            preview = change._coop_confirmation_preview()
        self.assertEqual(preview["date_effective"], date(2027, 1, 1))
        self.assertTrue(preview["has_invoice"])
        self.assertEqual(member.currency_id.round(preview["amount"]), 3630.0)  # 3,000.00 + 21 % VAT
