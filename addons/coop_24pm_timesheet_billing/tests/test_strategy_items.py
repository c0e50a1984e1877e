from datetime import date

from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestStrategyItems(CoopBillingCommon):
    """Extra strategic follow-up left billable by coop_24pm_plans (coop.strategy.item)."""

    def setUp(self):
        super().setUp()
        if "coop.strategy.item" not in self.env:
            self.skipTest("coop_24pm_plans does not provide coop.strategy.item yet")
        self.product = self._make_strategist_rate()

    def test_extra_follow_up_billed_at_strategist_rate_plus_margin(self):
        item = self.env["coop.strategy.item"].create(
            {
                "membership_id": self.member.id,
                "kind": "extra",
                "hours": 2.0,
                "date": "2026-03-03",
                "product_id": self.product.id,
            }
        )
        self.assertEqual(item.billable_hours, 2.0)
        self.assertEqual(self.member._get_uninvoiced_amount(), 331.20)  # 2 h x 120 x 1.38
        invoice = self._billing_run(date(2026, 3, 20))
        self.assertEqual(invoice.amount_untaxed, 331.20)
        sections = invoice.invoice_line_ids.filtered(lambda rec: rec.display_type == "line_section")
        self.assertEqual(sections.mapped("name"), ["Extra services", "Commercial margin"])
        self.assertTrue(item.billed)
        self.assertEqual(item.invoice_line_id.move_id, invoice)
        invoice.button_draft()
        invoice.button_cancel()
        self.assertFalse(item.billed)
        self.assertEqual(self.member._get_uninvoiced_amount(), 331.20)

    def test_suspended_member_extra_follow_up_after_its_suspension_not_billed(self):
        """SPEC 7.4: a suspended member is billed the extra services dated before its
        suspension, like its time and expenses; what is dated after waits."""
        Item = self.env["coop.strategy.item"]
        before, after = Item.create(
            [
                {
                    "membership_id": self.member.id,
                    "kind": "extra",
                    "hours": hours,
                    "date": day,
                    "product_id": self.product.id,
                }
                for hours, day in ((1.0, "2026-03-03"), (2.0, "2026-03-12"))
            ]
        )
        self.member.action_suspend(reason="Outdated address (art. 4.3)")
        self.member.suspension_id.date_suspended = date(2026, 3, 10)
        self.assertEqual(self.member._get_uninvoiced_amount(), 165.60)  # 1 h x 120 x 1.38
        invoice = self._invoice_members(self.member, date(2026, 3, 20))
        self.assertEqual(invoice.amount_untaxed, 165.60)
        self.assertEqual((before.billed, after.billed), (True, False))
