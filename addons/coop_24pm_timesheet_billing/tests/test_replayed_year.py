import logging
import os
import time

from odoo.tests import tagged

from odoo.addons.coop_24pm_guarantee.tests.common import GuaranteeCommon
from odoo.addons.coop_24pm_plans.tests.common import CoopPlansCommon

from ..replay import YearReplay

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestReplayedYear(CoopPlansCommon, GuaranteeCommon):
    """Issue 18: a year of 24PM replayed day by day (users' actions and the real scheduled
    jobs), then checked: what each member sees equals the books, the bank equals its
    statements. The year is replayed once for the class; each check is a test."""

    MEMBERS = 3
    # a shorter year for a quick look: COOP_REPLAY_DAYS=60
    DAYS = int(os.environ.get("COOP_REPLAY_DAYS", 365))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        began = time.perf_counter()
        cls.replay = YearReplay(cls.env, days=cls.DAYS, members=cls.MEMBERS, seed=18).run()
        cls.replay_seconds = time.perf_counter() - began
        cls.report = cls.replay.report()
        _logger.info("replayed year in %.1f s\n%s", cls.replay_seconds, cls.report)

    def _assert_holds(self, check):
        issues = check(self.replay)
        self.assertFalse(issues, "\n".join([f"{len(issues)} discrepancies:", *issues, "", self.report]))

    def test_members_joined_online_and_are_active(self):
        memberships = [profile.get("membership") for profile in self.replay.members]
        self.assertTrue(all(memberships), f"a join failed: {self.replay.refusals}")
        self.assertEqual([m.state for m in memberships], ["active"] * self.MEMBERS, self.report)
        self.assertEqual({m.application_id.origin for m in memberships}, {"online"})
        self.assertFalse(self.replay.cron_errors, self.report)

    def test_each_job_runs_at_its_own_interval(self):
        runs = self.replay.cron_runs
        months = round(self.DAYS / 30.4)
        self.assertEqual(runs["coop_24pm_guarantee.ir_cron_direct_debit"], self.DAYS, "a daily job, every day")
        self.assertIn(runs["coop_24pm_guarantee.ir_cron_late_fees"], (months, months + 1), "a monthly job, monthly")
        self.assertIn(
            runs["coop_24pm_membership.ir_cron_membership_personal_data_due"],
            (self.DAYS // 7, self.DAYS // 7 + 1),
            "a weekly job, weekly",
        )

    def test_trust_page_equals_partner_ledger(self):
        self._assert_holds(self.replay.CHECKS["trust page equals ledger"])

    def test_bank_journal_equals_imported_statements(self):
        self.assertTrue(self.replay.statements, self.report)
        self._assert_holds(self.replay.CHECKS["bank equals statements"])

    def test_monthly_contributions_collected_by_debit(self):
        self.assertTrue(self.replay.orders, self.report)
        self._assert_holds(self.replay.CHECKS["debits collected"])
