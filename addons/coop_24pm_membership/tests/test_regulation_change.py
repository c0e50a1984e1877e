from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopCommon
from .smtp_catcher import SmtpCatcherMixin


@tagged("post_install", "-at_install")
class TestRegulationChange(SmtpCatcherMixin, CoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()

    def _member_with_agent(self, name):
        """A member that joined online (no address of its own) with one agent."""
        company = self._make_company(name, vat="BE0477472701")
        self.env["res.partner"]._coop_create_agent(company, "Anne Agent", f"anne@{name[:4].lower()}.example.com")
        return self._make_member(company, regulation=self.roi_2021)

    def _notify(self, membership, on="2026-03-01"):
        """Notify the new regulation and deliver the e-mail the same day."""
        with freeze_time(on):
            change = membership._notify_regulation_change(self.roi_2023)
            self._send_mail_queue()
        return change

    def test_art_11_1_applies_without_contest_after_10_days(self):
        membership = self._member_with_agent("Nouveau SRL")
        change = self._notify(membership)
        self.assertEqual(str(change.date_deadline), "2026-03-11")
        mail = self.env["mail.mail"].search(
            [("subject", "ilike", "New 24PM regulation"), ("mail_message_id.res_id", "=", change.id)]
        )
        self.assertRecordValues(mail, [{"state": "sent", "recipient_ids": membership.partner_id.child_ids.ids}])
        self.assertIn("anne@nouv.example.com", self.smtp.recipients())
        with freeze_time("2026-03-11"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2021, "still within the delay on day 10")
        with freeze_time("2026-03-12"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2023)
        self.assertEqual(change.state, "applied")

    def test_contest_flags_followup_and_blocks_application(self):
        membership = self._member_with_agent("Contre SRL")
        change = self._notify(membership)
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
        membership = self._member_with_agent("Trop Tard SRL")
        change = self._notify(membership)
        with freeze_time("2026-03-12"), self.assertRaisesRegex(UserError, "ended"):
            change.action_contest("too late")
        self.assertEqual(change.state, "notified")

    def test_persisting_contest_allows_15_days_notice(self):
        """Art. 11.1: when the contest persists, either party may end with 15 days' notice."""
        membership = self._member_with_agent("Persiste SRL")
        change = self._notify(membership)
        other = self._member_with_agent("Voisin SRL")
        other_change = self._notify(other)
        # not contested: the short notice is refused and nothing changes
        with self.assertRaisesRegex(UserError, "persists"):
            membership.action_give_dispute_notice(change, date_notice="2026-03-06")
        self.assertRecordValues(membership, [{"state": "active", "date_end": False}])
        self.assertEqual(membership.termination_id.notice_days, 0)
        with freeze_time("2026-03-05"):
            change.action_contest("The new guarantee rules do not suit us")
            other_change.action_contest("Neither do we")
        # another member's contest is not this member's dispute
        with self.assertRaisesRegex(UserError, "persists"):
            membership.action_give_dispute_notice(other_change, date_notice="2026-03-06")
        membership.action_give_dispute_notice(change, date_notice="2026-03-06")
        self.assertRecordValues(
            membership,
            [{"state": "notice", "date_end": date(2026, 3, 21)}],
        )
        self.assertRecordValues(membership.termination_id, [{"notice_given_by": "member", "notice_days": 15}])
        self.assertEqual(
            len(membership.message_ids.filtered(lambda m: "Short notice because this dispute persists" in m.body)), 1
        )
        # the ordinary notice of a monthly member would have ended a month later
        other.action_give_notice(date_notice="2026-03-06")
        self.assertEqual(str(other.date_end), "2026-04-06")
