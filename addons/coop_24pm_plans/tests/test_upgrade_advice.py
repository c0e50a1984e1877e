from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestUpgradeAdvice(CoopPlansCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["product.product"].create(
            {"name": "Development (group rate + margin)", "type": "service"}
        )

    def _service_invoice(self, member, amount, day):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": member.partner_id.id,
                "invoice_date": day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_no_advice_at_break_even(self):
        """EUR 5,400 billed at 38 %: Standard saves exactly its extra EUR 900 of fees."""
        member = self._make_plan_member("Break Even SRL", self.basic_2023, "2026-01-01")
        invoice = self._service_invoice(member, 5400.0, "2026-03-10")
        with freeze_time("2026-03-31"):
            self.assertFalse(self.env["coop.plan"]._coop_get_upgrade_advice(member))
            self.assertFalse(member.contract_id.coop_upgrade_advice)
        self.assertFalse(invoice.coop_upgrade_advice)

    def test_advice_when_the_upgrade_pays(self):
        member = self._make_plan_member("Heavy User SRL", self.basic_2023, "2026-01-01")
        invoice = self._service_invoice(member, 5401.38, "2026-03-10")
        with freeze_time("2026-03-31"):
            advice = self.env["coop.plan"]._coop_get_upgrade_advice(member)
        self.assertEqual(advice["plan"], self.standard_2023)
        self.assertEqual(advice["gain"], 0.23)
        self.assertEqual(advice["yearly_saving"], 0.92)
        self.assertIn("Standard", advice["message"])
        self.assertIn("0.92", invoice.coop_upgrade_advice)
        # staff: the member's subscription contract shows it too
        with freeze_time("2026-03-31"):
            self.assertEqual(member.contract_id.coop_upgrade_advice, advice["message"])
        # the PDF carries the message
        html = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)[0]
        self.assertIn(b"o_coop_upgrade_advice", html)

    def test_best_plan_and_window(self):
        member = self._make_plan_member("Very Heavy SRL", self.basic_2023, "2026-01-01")
        self._service_invoice(member, 30000.0, "2026-03-10")
        with freeze_time("2026-03-31"):
            advice = self.env["coop.plan"]._coop_get_upgrade_advice(member)
        # base 21,739.13: Standard gains 5,000.00 - 900 = 4,100.00; Partner 8,260.87 - 3,600 = 4,660.87
        self.assertEqual(advice["plan"], self.partner_2023)
        self.assertEqual(advice["gain"], 4660.87)
        self.assertEqual(advice["yearly_saving"], 18643.48)
        self.assertIn("18,643.48\xa0€ a year", advice["message"])  # format_amount, not "18,643.48 EUR"
        # outside the 3-month window the consumption no longer counts
        with freeze_time("2026-06-30"):
            self.assertFalse(self.env["coop.plan"]._coop_get_upgrade_advice(member))

    def test_contribution_invoices_do_not_count(self):
        member = self._make_plan_member("Only Fees SRL", self.basic_2023, "2026-01-01")
        self._run_contract_cron("2026-01-01")
        with freeze_time("2026-01-31"):
            self.assertFalse(self.env["coop.plan"]._coop_get_upgrade_advice(member))

    def test_spec_3_3_only_service_work_counts(self):
        """Calls for funds (B share, guarantee) and lines without a service product
        (prepayments, deposits) are no consumption: EUR 5,400 stays at break-even."""
        member = self._make_plan_member("Deposits SRL", self.basic_2023, "2026-01-01")
        self._service_invoice(member, 5400.0, "2026-03-10")
        guarantee = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": member.partner_id.id,
                "invoice_date": "2026-03-05",
                "coop_is_call_for_funds": True,
                "invoice_line_ids": [
                    Command.create({"name": "Guarantee (art. 7)", "quantity": 1, "price_unit": 10000.0})
                ],
            }
        )
        guarantee.action_post()
        prepayment = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": member.partner_id.id,
                "invoice_date": "2026-03-06",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Prepayment for services",
                            "quantity": 1,
                            "price_unit": 3000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        prepayment.action_post()
        with freeze_time("2026-03-31"):
            self.assertEqual(
                self.env["account.move"]._coop_billed_consumption(member, date(2026, 1, 1), date(2026, 3, 31)), 5400.0
            )
            self.assertFalse(self.env["coop.plan"]._coop_get_upgrade_advice(member))
