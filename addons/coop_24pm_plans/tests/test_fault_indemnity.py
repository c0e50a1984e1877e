from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestFaultIndemnity(CoopPlansCommon):
    def _terminate_for_fault(self, member, party="member", day="2026-06-15"):
        with freeze_time(day):
            member.action_terminate(
                termination_type="fault", fault_party=party, fault_description="Persistent non-payment (art. 6.4)"
            )

    def test_minimum_indemnity_for_a_200_plan(self):
        member = self._make_plan_member("Small Plan SRL", self.basic_2023, "2026-04-01", contribution_amount=200.0)
        with freeze_time("2026-06-15"):
            self.assertEqual(member._get_monthly_contribution(), 200.0)
            self.assertEqual(self.env["coop.membership.termination"]._get_fault_indemnity(member), 1000.0)
        self._terminate_for_fault(member)
        self.assertEqual(member.termination_id.fault_indemnity_amount, 1000.0)
        indemnity = self._invoices(member, "indemnity")
        self.assertEqual(len(indemnity), 1)
        self.assertRecordValues(
            indemnity,
            [{"state": "posted", "amount_untaxed": 1000.0, "amount_total": 1000.0, "invoice_date": date(2026, 6, 15)}],
        )

    def test_three_months_of_the_current_contribution(self):
        member = self._make_plan_member("Big Plan SRL", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        self._run_contract_cron("2026-05-01")
        self._request_change(member, self.partner_2023, "2026-05-12")
        self._run_contract_cron("2026-06-01")
        self._terminate_for_fault(member)
        self.assertEqual(self._invoices(member, "indemnity").amount_untaxed, 4500.0)
        # the contract stops: nothing billed after the termination
        self._run_contract_cron("2026-07-01")
        self._run_contract_cron("2026-08-01")
        self.assertFalse(self._invoices(member).filtered(lambda m: m.invoice_date >= date(2026, 7, 1)))
        # Standard: April, May 1-11 (11/31 of 600); Partner: May 12-31 (20/31 of 1,500) and June until
        # the end date, the 15th: June was invoiced in advance, June 16-30 is credited (15/30 of 1,500)
        self.assertEqual(self._billed(member, self.standard_2023, "2026-04-01", "2026-06-30"), 812.90)
        self.assertEqual(self._billed(member, self.partner_2023, "2026-04-01", "2026-06-30"), 1717.74)
        credit = self._invoices(member).filtered(lambda m: m.move_type == "out_refund")
        self.assertRecordValues(
            credit, [{"coop_invoice_kind": "contribution", "amount_untaxed": 750.0, "invoice_date": date(2026, 6, 15)}]
        )

    def test_art_10_indemnity_booked_when_24pm_is_at_fault(self):
        """SPEC 7.1: booked whichever party is at fault: a credit note 24PM pays out."""
        member = self._make_plan_member("Innocent SRL", self.standard_2023, "2026-04-01")
        self._terminate_for_fault(member, party="coop")
        indemnity = self.env["account.move"].search(
            [("coop_membership_id", "=", member.id), ("coop_invoice_kind", "=", "indemnity")]
        )
        self.assertRecordValues(
            indemnity,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_total": 1800.0,  # 3 months of EUR 600.00
                    "coop_pays_out": True,
                    "invoice_date": date(2026, 6, 15),
                    "invoice_date_due": date(2026, 6, 25),
                }
            ],
        )
        self.assertIn("owed by 24PM", indemnity.invoice_line_ids.name)
