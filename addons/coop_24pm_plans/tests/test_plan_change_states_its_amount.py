"""Issue 22: the plan-change confirmation states its money effect before the click."""

import re
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import format_amount, format_date

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanChangeStatesItsAmount(CoopPlansCommon, HttpCase):
    def test_preview_is_the_invoice_that_confirming_issues(self):
        """Standard to Partner on 12 April: 950.00 - 380.00 = 570.00 untaxed, 689.70 with 21 % VAT."""
        member = self._make_plan_member("Preview SRL", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        change = self._request_change(member, self.partner_2023, "2026-04-12", confirm=False)
        moves_before = self.env["account.move"].search_count([])
        with freeze_time("2026-04-12"):
            preview = change._coop_confirmation_preview()
        self.assertEqual(self.env["account.move"].search_count([]), moves_before, "a preview writes nothing")
        self.assertEqual(change.state, "requested")
        self.assertEqual(
            {
                key: preview[key]
                for key in ("date_effective", "date_invoice", "amount", "is_credit_note", "has_invoice")
            },
            {
                "date_effective": date(2026, 4, 12),
                "date_invoice": date(2026, 4, 12),
                "amount": 689.7,
                "is_credit_note": False,
                "has_invoice": True,
            },
        )
        with freeze_time("2026-04-12"):
            change.action_confirm()
        self.assertEqual(change.adjustment_move_id.amount_total, preview["amount"])

    def test_downgrade_preview_invoices_nothing_today(self):
        member = self._make_plan_member("Preview Down SRL", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        change = self._request_change(member, self.basic_2023, "2026-04-12", confirm=False)
        with freeze_time("2026-04-12"):
            preview = change._coop_confirmation_preview()
        self.assertEqual((preview["has_invoice"], preview["date_effective"]), (False, date(2026, 5, 1)))

    def test_confirmation_page_states_the_amount_and_date_before_the_button(self):
        first_of_month = fields.Date.today().replace(day=1)
        member = self._make_plan_member("Preview Page SRL", self.standard_2023, str(first_of_month))
        self._run_contract_cron(str(first_of_month))
        change = self.env["coop.plan.change"].create({"membership_id": member.id, "new_plan_id": self.partner_2023.id})
        change._portal_ensure_token()
        preview = change._coop_confirmation_preview()
        self.assertTrue(preview["has_invoice"])
        page = self.url_open(f"/my/plan/change/{change.id}?access_token={change.access_token}")
        self.assertEqual(page.status_code, 200)
        text = page.text
        visible = re.sub(r"<[^>]+>", "", text)
        amount = format_amount(self.env, preview["amount"], preview["currency"])
        self.assertIn(f"Confirming invoices\n                {amount}", visible)
        self.assertIn(format_date(self.env, preview["date_invoice"]), visible)
        self.assertLess(text.index("o_coop_change_amount"), text.index("o_coop_confirm_change"))
