from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestRegulationChange(CoopCommon):
    def test_art_11_1_applies_without_contest_after_10_days(self):
        membership = self._make_member(self._make_company("Nouveau SRL", vat="BE0477472701"), regulation=self.roi_2021)
        with freeze_time("2026-03-01"):
            change = membership._notify_regulation_change(self.roi_2023)
        self.assertEqual(str(change.date_deadline), "2026-03-11")
        self.assertTrue(
            self.env["mail.mail"].search(
                [("subject", "ilike", "New 24PM regulation"), ("recipient_ids", "in", membership.partner_id.ids)]
            )
        )
        with freeze_time("2026-03-11"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2021, "still within the delay on day 10")
        with freeze_time("2026-03-12"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2023)
        self.assertEqual(change.state, "applied")

    def test_contest_flags_followup_and_blocks_application(self):
        membership = self._make_member(self._make_company("Contre SRL", vat="BE0477472701"), regulation=self.roi_2021)
        with freeze_time("2026-03-01"):
            change = membership._notify_regulation_change(self.roi_2023)
        with freeze_time("2026-03-05"):
            with self.assertRaises(UserError):
                change.action_contest("  ")
            change.action_contest("The new guarantee rules do not suit us")
        self.assertRecordValues(change, [{"state": "contested"}])
        self.assertTrue(membership.needs_followup)
        with freeze_time("2026-03-20"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2021)

    def test_contest_after_delay_refused(self):
        membership = self._make_member(
            self._make_company("Trop Tard SRL", vat="BE0477472701"), regulation=self.roi_2021
        )
        with freeze_time("2026-03-01"):
            change = membership._notify_regulation_change(self.roi_2023)
        with freeze_time("2026-03-12"), self.assertRaisesRegex(UserError, "ended"):
            change.action_contest("too late")
        self.assertEqual(change.state, "notified")
