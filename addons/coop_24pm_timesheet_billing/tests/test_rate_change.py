from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.smtp_catcher import SmtpCatcherMixin

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestRateChange(SmtpCatcherMixin, CoopBillingCommon):
    """Art. 5.3 with SPEC 7.3: the old rate applies, and the member may object, until 15
    days after its notice was delivered to one of its agents (Odoo's mail queue and a
    local SMTP catcher)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()
        cls._make_agent(cls.member, "Paul Projects", "paul@basique.example.com", finance=False, projects=True)
        # a member without any agent or address: its notice reaches nobody
        cls.silent = cls._make_billing_member("Brasserie Muette")
        cls.silent_task = cls.env["project.task"].create(
            {"name": "Menu", "project_id": cls.env["project.project"]._coop_projects_of(cls.silent).id}
        )

    def setUp(self):
        super().setUp()
        self._send_mail_queue()
        self.smtp.messages.clear()

    def _notify(self, when="2026-03-01 09:00:00"):
        change = self.env["coop.rate.change"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "new_rate": 65.0}
        )
        with freeze_time(when):
            change.action_notify(today=date(2026, 3, 1))
        return change

    def _line(self, change, membership):
        return change.member_ids.filtered(lambda m: m.membership_id == membership)

    def test_art_5_3_old_rate_for_15_days_from_delivery(self):
        change = self._notify()
        self.assertEqual((change.state, change.date_effective), ("notified", date(2026, 3, 16)))
        with freeze_time("2026-03-01 09:05:00"):
            self._send_mail_queue()
        self.assertEqual(self.smtp.recipients("@basique.example.com"), ["paul@basique.example.com"])
        self.assertRecordValues(
            self._line(change, self.member),
            [{"notice_state": "delivered", "date_delivered": date(2026, 3, 1), "date_effective": date(2026, 3, 16)}],
        )
        old, new = self._log(self.medior, 60, "2026-03-15"), self._log(self.medior, 60, "2026-03-16")
        self.assertEqual((old.coop_rate, old.coop_amount), (60.0, 82.80))
        self.assertEqual((new.coop_rate, new.coop_amount), (65.0, 89.70))
        with self.assertRaises(UserError):
            change.action_notify(today=date(2026, 3, 2))

    def test_notice_sent_at_once_starts_the_15_days(self):
        """An e-mail that leaves at once (Odoo sends a few at the post, outside a batch) is
        delivered before the notice is recorded: the rate-change line still hears of it (the
        replayed year found every notified member keeping the old rate: issue 18, C6)."""
        with self._smtp_enabled():
            change = self._notify()
        self.assertEqual(self.smtp.recipients("@basique.example.com"), ["paul@basique.example.com"])
        self.assertRecordValues(
            self._line(change, self.member),
            [{"notice_state": "delivered", "date_delivered": date(2026, 3, 1), "date_effective": date(2026, 3, 16)}],
        )

    def _estimate(self, project, hours, when):
        with freeze_time(when):
            return self.env["project.task"].create(
                {
                    "name": "Estimated work",
                    "project_id": project.id,
                    "coop_estimate_ids": [Command.create({"category_id": self.cat_medior.id, "hours": hours})],
                }
            )

    def test_estimate_keeps_the_old_rate_while_the_notice_runs(self):
        """Art. 4.7 with SPEC 7.3: an estimate for a member that keeps the old rate (its notice
        reached nobody yet) prices it at that rate, as its time of the day is priced."""
        change = self._notify()
        with freeze_time("2026-03-01 09:05:00"):
            self._send_mail_queue()
        self.assertFalse(self._line(change, self.silent).date_effective)
        project = self.silent_task.project_id
        task = self._estimate(project, 2.0, "2026-03-20")
        with freeze_time("2026-03-20"):
            # 2 h x 60.00 x 1.38 = 165.60, as its 2 h logged that day
            self.assertRecordValues(task.coop_estimate_ids, [{"rate": 60.0, "amount": 165.60}])
            self.assertEqual(task.coop_estimate_amount, 165.60)
        logged = self._log(self.medior, 120, "2026-03-20", task=task)
        self.assertEqual((logged.coop_rate, logged.coop_amount), (60.0, 165.60))

    def test_estimate_keeps_the_price_of_its_day(self):
        """Art. 4.7: the estimate the member accepted keeps the rates of the day it was given
        (the replayed year read an estimate of day 47 at year end at the new rate); a new
        estimate (other hours) is priced on its own day."""
        self._notify()
        with freeze_time("2026-03-01 09:05:00"):
            self._send_mail_queue()  # delivered: 65.00 from 16 March
        task = self._estimate(self.project, 2.0, "2026-03-10")
        self.assertEqual(task.coop_estimate_ids.date, date(2026, 3, 10))
        for today in ("2026-03-10", "2026-03-20"):
            with freeze_time(today):
                task.invalidate_recordset()
                task.coop_estimate_ids.invalidate_recordset()
                # 2 h x 60.00 x 1.38 = 165.60
                self.assertRecordValues(task.coop_estimate_ids, [{"rate": 60.0, "amount": 165.60}])
                self.assertEqual(task.coop_estimate_amount, 165.60)
        with freeze_time("2026-03-20"):
            task.coop_estimate_ids.hours = 3.0
            # estimated again on 20 March: 3 h x 65.00 x 1.38 = 269.10
            self.assertRecordValues(
                task.coop_estimate_ids, [{"date": date(2026, 3, 20), "rate": 65.0, "amount": 269.10}]
            )
            self.assertEqual(task.coop_estimate_amount, 269.10)

    def test_notice_period_is_the_regulations(self):
        """Issue 21: the notice period of a rate change is the regulation's (no constant in
        the code); before any regulation is in force, nothing is notified."""
        regulation = self.env["coop.regulation"]._get_current(date(2026, 3, 1))
        regulation.rate_change_notice_days = 20
        change = self._notify()
        self.assertEqual(change.date_effective, date(2026, 3, 21))
        early = self.env["coop.rate.change"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "new_rate": 70.0}
        )
        with self.assertRaisesRegex(UserError, "No regulation is in force on"):
            early.action_notify(today=date(1990, 1, 1))
        self.assertEqual(early.state, "draft")

    def test_undelivered_notice_keeps_the_old_rate_until_15_days_after_delivery(self):
        change = self._notify()
        with freeze_time("2026-03-01 09:05:00"):
            self._send_mail_queue()  # the other member's notice is delivered on the first day
        line = self._line(change, self.silent)
        self.assertRecordValues(line, [{"notice_state": "no_recipient", "date_effective": False}])
        # the PM is told nobody received it
        self.assertIn("Notice not sent", self.silent.activity_ids.mapped("summary")[0])
        waiting = self._log(self.medior, 60, "2026-03-20", task=self.silent_task)
        self.assertEqual((waiting.coop_rate, waiting.coop_amount), (60.0, 82.80))
        # staff give the member an agent and send the notice again on 10 March
        self._make_agent(self.silent, "Mona Muette", "mona@muette.example.com", finance=False, projects=True)
        with freeze_time("2026-03-10 08:00:00"):
            line.action_send_again()
            self._send_mail_queue()
        self.assertIn("mona@muette.example.com", self.smtp.recipients("@muette.example.com"))
        self.assertRecordValues(
            line,
            [{"notice_state": "delivered", "date_delivered": date(2026, 3, 10), "date_effective": date(2026, 3, 25)}],
        )
        self.assertEqual(
            self.silent.notice_ids.filtered(lambda n: n.kind == "rate_change").mapped("state"),
            ["delivered", "no_recipient"],
        )
        # its unbilled time is priced at the rate of its dates: still the old one until 24 March
        self.assertEqual((waiting.coop_rate, waiting.coop_amount), (60.0, 82.80))
        later = self._log(self.medior, 60, "2026-03-25", task=self.silent_task)
        self.assertEqual((later.coop_rate, later.coop_amount), (65.0, 89.70))
        # it may object until its own deadline, after the other members'
        with self.assertRaises(UserError):
            change.action_object(self.member, today=date(2026, 3, 16))
        change.action_object(self.silent, today=date(2026, 3, 24))
        self.assertTrue(line.objected)
        with self.assertRaises(UserError):
            line.action_send_again()  # delivered: nothing to send again

    def test_future_dated_time_is_repriced_when_the_notice_is_delivered(self):
        change = self._notify()
        line = self._line(change, self.silent)
        ahead = self._log(self.medior, 60, "2026-04-30", task=self.silent_task)
        self.assertEqual(ahead.coop_rate, 60.0)  # not delivered yet: the old rate
        self._make_agent(self.silent, "Mona Muette", "mona@muette.example.com", finance=False, projects=True)
        with freeze_time("2026-03-02 08:00:00"):
            line.action_send_again()
            self._send_mail_queue()
        self.assertEqual(line.date_effective, date(2026, 3, 17))
        self.assertEqual((ahead.coop_rate, ahead.coop_amount), (65.0, 89.70))

    def test_objection_suspends_the_services_concerned(self):
        change = self._notify()
        with freeze_time("2026-03-01 09:05:00"):
            self._send_mail_queue()
        change.action_object(self.member, today=date(2026, 3, 10))
        count = self.env["account.analytic.line"].search_count([])
        with self.assertRaises(UserError) as refused:
            self._log(self.medior, 60, "2026-03-11")
        self.assertIn("suspended", str(refused.exception))
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)
        # other categories go on
        self.assertEqual(self._log(self.junior, 60, "2026-03-11").coop_amount, 62.10)
        with self.assertRaises(UserError):
            change.action_object(self.member, today=date(2026, 3, 11))  # a second objection
        late_co = self._make_billing_member("Late Co", self.basic_2021)
        with self.assertRaises(UserError) as refused:
            change.action_object(late_co, today=date(2026, 3, 5))  # joined after the notice
        self.assertIn("was not notified", str(refused.exception))
        with self.assertRaises(UserError) as refused:
            change.action_object(self.member, today=date(2026, 3, 16))
        self.assertIn("ended on", str(refused.exception))

    def test_objection_that_persists_ends_with_notice_at_the_old_rate(self):
        """Art. 5.3 with 11.1: the objection persists, the member gives 15 days' notice: its
        services resume and are billed at the old rate until the end."""
        change = self._notify()
        with freeze_time("2026-03-01 09:05:00"):
            self._send_mail_queue()
        objection = change.action_object(self.member, today=date(2026, 3, 10))
        self.assertEqual(objection.display_name, f"Objection to {change.name}")
        self.member.action_give_dispute_notice(objection, date_notice="2026-03-12")
        self.assertRecordValues(self.member, [{"state": "notice", "date_end": date(2026, 3, 27)}])
        self.assertEqual(self.member.termination_id.notice_days, 15)
        line = self._line(change, self.member)
        self.assertRecordValues(line, [{"old_rate_kept": True, "date_effective": False, "objected": True}])
        self.assertFalse(objection.active)
        during = self._log(self.medior, 60, "2026-03-20")
        self.assertEqual((during.coop_rate, during.coop_amount), (60.0, 82.80))
        with self.assertRaises(UserError):
            change.action_object(self.member, today=date(2026, 3, 13))  # objected once already
