from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanChange(CoopPlansCommon):
    def test_upgrade_on_the_12th_is_prorated(self):
        """Standard until the 11th, Partner from the 12th (April: 30 days)."""
        member = self._make_plan_member("Upgrade SRL", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        change = self._request_change(member, self.partner_2023, "2026-04-12")
        self.assertRecordValues(
            change, [{"direction": "upgrade", "state": "applied", "date_effective": date(2026, 4, 12)}]
        )
        self.assertEqual(member.plan_id, self.partner_2023)
        adjustment = change.adjustment_move_id
        self.assertEqual(adjustment.state, "posted")
        self.assertEqual(adjustment.move_type, "out_invoice")
        self.assertRecordValues(
            adjustment.invoice_line_ids,
            [
                {"product_id": self.standard_2023.product_id.id, "price_subtotal": -380.0},
                {"product_id": self.partner_2023.product_id.id, "price_subtotal": 950.0},
            ],
        )
        self.assertEqual(adjustment.amount_untaxed, 570.0)
        self.assertEqual(self._billed(member, self.standard_2023, "2026-04-01", "2026-04-30"), 220.0)
        self.assertEqual(self._billed(member, self.partner_2023, "2026-04-01", "2026-04-30"), 950.0)
        self.assertEqual(member._get_plan_margin(date(2026, 4, 11)), 0.15)
        self.assertEqual(member._get_plan_margin(date(2026, 4, 12)), 0.0)
        with freeze_time("2026-04-20"):
            self.assertEqual(member._get_monthly_contribution(), 1500.0)
        # May: Partner only, no gap and no double billing
        self._run_contract_cron("2026-05-01")
        may = self._invoices(member, "contribution").filtered(lambda m: m.invoice_date == date(2026, 5, 1))
        self.assertEqual(may.invoice_line_ids.mapped("product_id"), self.partner_2023.product_id)
        self.assertEqual(may.amount_untaxed, 1500.0)

    def test_upgrade_before_the_month_is_invoiced(self):
        member = self._make_plan_member("Late Cron SRL", self.standard_2023, "2026-04-01")
        self._request_change(member, self.partner_2023, "2026-04-12")
        self._run_contract_cron("2026-04-12")
        self.assertEqual(self._billed(member, self.standard_2023, "2026-04-01", "2026-04-30"), 220.0)
        self.assertEqual(self._billed(member, self.partner_2023, "2026-04-01", "2026-04-30"), 950.0)
        self._run_contract_cron("2026-05-01")
        self.assertEqual(self._billed(member, self.standard_2023, "2026-05-01", "2026-05-31"), 0.0)
        self.assertEqual(self._billed(member, self.partner_2023, "2026-05-01", "2026-05-31"), 1500.0)

    def test_downgrade_on_the_12th_takes_effect_next_month(self):
        member = self._make_plan_member("Downgrade SRL", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        change = self._request_change(member, self.basic_2023, "2026-04-12")
        self.assertRecordValues(
            change, [{"direction": "downgrade", "state": "confirmed", "date_effective": date(2026, 5, 1)}]
        )
        self.assertFalse(change.adjustment_move_id)
        self.assertEqual(member.plan_id, self.standard_2023)
        self.assertEqual(member._get_plan_margin(date(2026, 4, 30)), 0.15)
        self.assertEqual(member._get_plan_margin(date(2026, 5, 1)), 0.38)
        with freeze_time("2026-04-30"):
            self.env["coop.plan.change"]._cron_apply_plan_changes()
        self.assertEqual(member.plan_id, self.standard_2023)
        with freeze_time("2026-05-01"):
            self.env["coop.plan.change"]._cron_apply_plan_changes()
        self.assertEqual(member.plan_id, self.basic_2023)
        self.assertEqual(change.state, "applied")
        self._run_contract_cron("2026-05-01")
        self.assertEqual(self._billed(member, self.standard_2023, "2026-04-01", "2026-05-31"), 600.0)
        self.assertEqual(self._billed(member, self.basic_2023, "2026-05-01", "2026-05-31"), 300.0)

    def test_change_needs_the_member_confirmation(self):
        member = self._make_plan_member("Pending SRL", self.standard_2023, "2026-04-01")
        agent = self.env["res.partner"]._coop_create_agent(member.partner_id, "Pia Pending", "pia@pending.example.com")
        change = self._request_change(member, self.partner_2023, "2026-04-12", confirm=False)
        self.assertEqual(change.state, "requested")
        self.assertEqual(member.plan_id, self.standard_2023)
        self.assertEqual(len(member.contract_id.contract_line_ids), 2)
        with freeze_time("2026-04-12"):
            change.action_send_confirmation()
        self.assertTrue(change.access_token)
        # SPEC 7.3: the confirmation link goes to the member's agents
        self.assertEqual(change.message_ids[0].partner_ids, agent.partner_id)
        self.assertIn(f"/my/plan/change/{change.id}", change.message_ids[0].body)
        self.assertEqual(member.notice_ids.filtered(lambda n: n.kind == "plan_change").recipient_ids, agent.partner_id)

    def test_refusals_change_nothing(self):
        member = self._make_plan_member("Refusals SRL", self.standard_2023, "2026-04-01")
        lines_before = member.contract_id.contract_line_ids
        Change = self.env["coop.plan.change"]
        with freeze_time("2026-04-12"):
            with self.assertRaises(ValidationError):
                Change.create({"membership_id": member.id, "new_plan_id": self.standard_2023.id})
            with self.assertRaises(ValidationError):
                Change.create({"membership_id": member.id, "new_plan_id": self.standard_2021.id})
            pending = Change.create({"membership_id": member.id, "new_plan_id": self.partner_2023.id})
            with self.assertRaises(ValidationError):
                Change.create({"membership_id": member.id, "new_plan_id": self.basic_2023.id})
            pending.action_cancel()
            with self.assertRaises(UserError):
                pending.action_confirm()
        self.assertEqual(member.contract_id.contract_line_ids, lines_before)
        self.assertEqual(member.plan_id, self.standard_2023)

    def test_partenaire_trial_ends_on_standard_the_day_after(self):
        member = self._make_plan_member("Trial SRL", self.partner_2021, "2026-01-01")
        self.assertEqual(member.contract_id.coop_trial_end_date, date(2026, 6, 30))
        with freeze_time("2026-06-30"):
            self.env["contract.contract"]._cron_end_trials()
        self.assertEqual(member.plan_id, self.partner_2021)
        with freeze_time("2026-07-01"):
            self.env["contract.contract"]._cron_end_trials()
        self.assertEqual(member.plan_id, self.standard_2021)
        self.assertTrue(member.contract_id.coop_trial_done)
        self.assertEqual(member._get_plan_margin(date(2026, 6, 30)), 0.0)
        self.assertEqual(member._get_plan_margin(date(2026, 7, 1)), 0.15)
        with freeze_time("2026-07-02"):
            self.assertEqual(member._get_monthly_contribution(), 500.0)

    def test_partenaire_trial_with_equity_continues(self):
        member = self._make_plan_member("Equity SRL", self.partner_2021, "2026-01-01")
        stake = self.env["coop.equity.stake"].create(
            {"partner_id": member.partner_id.id, "membership_id": member.id, "date": "2026-05-01", "quantity": 10}
        )
        self.env["ir.attachment"].create(
            {"name": "agreement.pdf", "raw": b"%PDF-1.4", "res_model": stake._name, "res_id": stake.id}
        )
        stake.action_book()
        with freeze_time("2026-07-01"):
            self.env["contract.contract"]._cron_end_trials()
        self.assertEqual(member.plan_id, self.partner_2021)
        self.assertTrue(member.contract_id.coop_trial_done)
        self.assertFalse(self.env["coop.plan.change"].search([("membership_id", "=", member.id)]))

    def test_staff_request_from_the_membership_form(self):
        member = self._make_plan_member("Backend SRL", self.basic_2023, "2026-04-01")
        action = self.env.ref("coop_24pm_plans.coop_membership_plan_change_request_action")
        context = safe_eval(action.context, {"active_id": member.id})
        with freeze_time("2026-04-12"):
            with Form(self.env["coop.plan.change"].with_context(**context)) as form:
                form.new_plan_id = self.standard_2023
                self.assertEqual(form.new_amount, 600.0)
                form.new_amount = 550.0
            change = form.record
            self.assertRecordValues(
                change,
                [{"old_plan_id": self.basic_2023.id, "origin": "staff", "direction": "upgrade", "state": "requested"}],
            )
            change.action_confirm()
        self.assertEqual(member.plan_id, self.standard_2023)
        with freeze_time("2026-04-20"):
            self.assertEqual(member._get_monthly_contribution(), 550.0)
