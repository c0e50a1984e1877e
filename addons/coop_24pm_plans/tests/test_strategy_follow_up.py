from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestStrategyFollowUp(CoopPlansCommon):
    def _item(self, member, day, kind="meeting", hours=1.0):
        return self.env["coop.strategy.item"].create(
            {"membership_id": member.id, "date": day, "kind": kind, "hours": hours}
        )

    def test_basic_one_meeting_a_month_up_to_2h30(self):
        member = self._make_plan_member("Meetings SRL", self.basic_2023, "2026-01-01")
        first = self._item(member, "2026-02-03", hours=3.0)
        second = self._item(member, "2026-02-20", hours=1.0)
        march = self._item(member, "2026-03-02", hours=2.0)
        self.assertRecordValues(
            first | second | march,
            [
                {"is_included": True, "billable_hours": 0.5},
                {"is_included": False, "billable_hours": 1.0},
                {"is_included": True, "billable_hours": 0.0},
            ],
        )
        with freeze_time("2026-02-25"):
            status = self.env["coop.strategy.item"]._get_meeting_quota_status(member)
        self.assertEqual((status["quota"], status["used"], status["left"]), (1, 2, 0))
        self.assertEqual(self.env["coop.strategy.item"]._get_billable(member), first | second)

    def test_study_reports_beyond_the_free_ones(self):
        basic = self._make_plan_member("Reports Basic SRL", self.basic_2023, "2026-01-01")
        report = self._item(basic, "2026-02-03", kind="study_report", hours=0.0)
        self.assertRecordValues(report, [{"is_included": False, "billable_hours": 10.0}])
        partner = self._make_plan_member("Reports Partner SRL", self.partner_2023, "2026-01-01")
        reports = [self._item(partner, f"2026-0{m}-10", kind="study_report", hours=0.0) for m in (2, 3, 4)]
        self.assertEqual([r.billable_hours for r in reports], [0.0, 0.0, 10.0])
        self.assertTrue(self._item(partner, "2026-05-10", hours=4.0).is_included)

    def test_extra_time_billed_and_billed_items_locked(self):
        member = self._make_plan_member("Extra SRL", self.standard_2023, "2026-01-01")
        extra = self._item(member, "2026-02-03", kind="extra", hours=1.5)
        self.assertEqual(extra.billable_hours, 1.5)
        with self.assertRaises(ValidationError):
            self._item(member, "2026-02-04", kind="extra", hours=-1.0)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": member.partner_id.id,
                "invoice_date": "2026-02-28",
                "invoice_line_ids": [(0, 0, {"product_id": extra.product_id.id, "quantity": 1.5, "price_unit": 150.0})],
            }
        )
        extra.invoice_line_id = invoice.invoice_line_ids
        self.assertTrue(extra.billed)
        with self.assertRaises(UserError):
            extra.hours = 3.0
        with self.assertRaises(UserError):
            extra.unlink()
        self.assertEqual(extra.hours, 1.5)
