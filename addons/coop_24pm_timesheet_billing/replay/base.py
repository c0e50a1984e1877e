"""The day loop of the replayed year (issue 18).

Each day, under a frozen clock: the scenes planned for that day run (what users do),
then the suite's real scheduled jobs, each at its own interval (a monthly job runs
monthly), timed for the report. Nothing is written into the database by the replay
itself: every change goes through what a user or a scheduled job does."""

import logging
import random
import threading
from collections import defaultdict
from contextlib import ExitStack, nullcontext
from datetime import datetime, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from freezegun.api import real_perf_counter as _real_perf_counter

from odoo import fields
from odoo.tools.misc import format_amount

_logger = logging.getLogger(__name__)

# the scheduled jobs the suite relies on, in the order the scheduler would meet them
# in a morning (each runs at its own interval, read from its ir.cron record)
CRONS = [
    # membership
    "coop_24pm_membership.ir_cron_regulation_change_apply",
    "coop_24pm_membership.ir_cron_membership_transfer_apply",
    "coop_24pm_membership.ir_cron_membership_join_reminder",
    "coop_24pm_membership.ir_cron_membership_vies_sync",
    "coop_24pm_membership.ir_cron_membership_formal_notice",
    "coop_24pm_membership.ir_cron_membership_notice_end",
    "coop_24pm_membership.ir_cron_membership_personal_data_due",
    # plans and OCA contract invoicing
    "coop_24pm_plans.ir_cron_apply_plan_changes",
    "coop_24pm_plans.ir_cron_end_trials",
    "coop_24pm_plans.ir_cron_annual_free_months",
    "contract.contract_cron_for_invoice",
    # guarantee and money
    "coop_24pm_guarantee.ir_cron_prepayments",
    "coop_24pm_guarantee.ir_cron_guarantee_followup",
    "coop_24pm_guarantee.ir_cron_late_fees",
    "coop_24pm_guarantee.ir_cron_late_fees_owed",
    "coop_24pm_guarantee.ir_cron_direct_debit",
    "account_banking_sepa_direct_debit.sdd_mandate_expire_cron",
    # work
    "coop_24pm_timesheet_billing.ir_cron_coop_accept_rso",
    "coop_24pm_timesheet_billing.ir_cron_coop_service_invoicing",
    # Odoo's own, whose work the suite relies on
    "account.ir_cron_auto_post_draft_entry",
    "mail.ir_cron_mail_scheduler_action",
]
# jobs that commit outside a scheduler run (Odoo's ``_commit_progress`` commits when no
# cron progress is in the context): a test's transaction may not commit, so they are
# left out under test and said so in the report
COMMITTING_CRONS = {"account.ir_cron_auto_post_draft_entry"}
INTERVALS = {
    "minutes": lambda n: relativedelta(minutes=n),
    "hours": lambda n: relativedelta(hours=n),
    "days": lambda n: relativedelta(days=n),
    "weeks": lambda n: relativedelta(weeks=n),
    "months": lambda n: relativedelta(months=n),
}
# the real clock for the jobs' timings: freezegun replaces any module attribute holding
# the real function while the clock is frozen, not a value held in a dict
CLOCK = {"perf_counter": _real_perf_counter}
MORNING = 7  # hour (UTC) at which the replayed day starts: users first, then the jobs


class BaseReplay:
    """The day loop; scenes come from the mixins (``_plan`` of each adds its days)."""

    def __init__(self, env, start=None, days=365, members=3, seed=18, progress=None):
        self.env = env
        self.seed = seed
        self.rng = random.Random(seed)
        today = fields.Date.context_today(env["res.users"])
        self.start = fields.Date.to_date(start) if start else today - relativedelta(months=12)
        self.days = days
        self.end = self.start + timedelta(days=days - 1)
        self.member_count = members
        self.progress = progress
        self.testing = bool(getattr(threading.current_thread(), "testing", False))
        self.agenda = defaultdict(list)  # date -> [(scene, args)]
        self.cron_next = {}  # ir.cron id -> datetime of its next call
        self.cron_runs = defaultdict(int)
        self.cron_seconds = defaultdict(float)
        self.cron_errors = []
        self.cron_skipped = []
        self.events = []  # (date, kind, text): what happened, for the report
        self.refusals = []  # (date, scene, message): what the suite refused
        self.members = []  # the replayed members' profiles (dicts), with their records
        self.today = self.start

    def memberships(self):
        """The memberships of the replayed members who joined (as the superuser reads them)."""
        return (
            self.env["coop.membership"].sudo().browse([p["membership"].id for p in self.members if p.get("membership")])
        )

    # ------------------------------------------------------------------
    # planning
    # ------------------------------------------------------------------
    def schedule(self, day, scene, *args):
        """``scene(*args)`` runs on the morning of ``day`` (dropped when outside the year)."""
        if self.start <= day <= self.end:
            self.agenda[day].append((scene, args))

    def _plan(self):
        """The scenes of the year; each mixin adds its own and calls ``super()``."""

    def _setup(self):
        """The configuration a new cooperative's administrator enters once (users, rates, settings),
        as the superuser, like data loaded at install; each mixin adds its own. The business
        itself then goes through users and jobs only."""

    def money(self, amount):
        """An amount as people read it: Odoo's ``format_amount`` in the company's currency
        and the environment's language (the report, the events, the checks' discrepancies)."""
        return format_amount(self.env, amount, self.env.company.currency_id)

    def note(self, kind, text):
        self.events.append((self.today, kind, text))

    # ------------------------------------------------------------------
    # the year
    # ------------------------------------------------------------------
    def run(self):
        with ExitStack() as stack:
            for patcher in self._remote_patches():
                stack.enter_context(patcher)
            with freeze_time(datetime.combine(self.start, datetime.min.time()).replace(hour=MORNING)):
                self._setup()
                self._init_crons()
            self._plan()
            for offset in range(self.days):
                self.today = self.start + timedelta(days=offset)
                with freeze_time(datetime.combine(self.today, datetime.min.time()).replace(hour=MORNING)):
                    for scene, args in self.agenda.pop(self.today, []):
                        scene(*args)
                    self._morning()
                    self._run_due_crons()
                    self._end_of_day()
                if offset % 7 == 6:
                    self._refresh_statistics()
                if self.progress:
                    self.progress(offset + 1, self.days)
            self.today = self.end
        return self

    def _refresh_statistics(self):
        """Each week, PostgreSQL's statistics of the tables the year fills. A test runs the
        whole year in one transaction, which autovacuum never sees: without them the planner
        takes the accounting tables for empty and Odoo's payment queries grow to seconds a
        call (ANALYZE counts the rows the transaction itself inserted)."""
        self.env.flush_all()
        self.env.cr.execute(
            "ANALYZE account_move, account_move_line, account_partial_reconcile, account_payment,"
            " account_analytic_line, account_bank_statement_line"
        )

    def _morning(self):
        """Hook: what users do every day after the day's planned scenes (timesheets, ...)."""

    def _end_of_day(self):
        """Hook: what happens each day after the jobs (the bank's statement, ...)."""

    def _remote_patches(self):
        """The remote services the replay plays itself: VIES answers with the replayed
        companies' registered names and addresses (nothing of the suite is patched)."""
        return [patch("stdnum.eu.vat.check_vies", side_effect=self._vies_answer)]

    def _vies_answer(self, vat, *args, **kwargs):
        number = vat if vat.upper().startswith("BE") else f"BE{vat}"
        number = number.replace(".", "").replace(" ", "").upper()
        for profile in self.members:
            if profile["vat"] == number:
                return {
                    "valid": True,
                    "name": profile["name"].upper(),
                    "address": f"{profile['street'].upper()}\n{profile['zip']} {profile['city'].upper()}",
                }
        return {"valid": True, "name": "", "address": ""}

    # ------------------------------------------------------------------
    # scheduled jobs
    # ------------------------------------------------------------------
    def _crons(self):
        crons = self.env["ir.cron"]
        for xmlid in CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if not cron or not cron.active:
                continue
            if self.testing and xmlid in COMMITTING_CRONS:
                if xmlid not in self.cron_skipped:
                    self.cron_skipped.append(xmlid)
                continue
            crons |= cron
        return crons

    def _init_crons(self):
        """Each job first runs on the first morning of the year, then at its interval."""
        first = datetime.combine(self.start, datetime.min.time()).replace(hour=MORNING)
        for cron in self._crons():
            self.cron_next[cron.id] = first

    def _run_due_crons(self):
        now = datetime.combine(self.today, datetime.min.time()).replace(hour=MORNING)
        for cron in self._crons():
            next_call = self.cron_next.get(cron.id, now)
            if next_call > now:
                continue
            self._run_cron(cron)
            step = INTERVALS[cron.interval_type](cron.interval_number)
            while next_call <= now:
                next_call += step
            # a job more frequent than daily runs once per replayed day (the loop's grain)
            self.cron_next[cron.id] = max(next_call, now + timedelta(days=1))

    def _run_cron(self, cron):
        """The job's server action as the scheduler runs it (as the job's user); a job that
        fails is rolled back to its savepoint and reported, the year goes on."""
        xmlid = cron.get_external_id()[cron.id]
        action = cron.ir_actions_server_id.with_user(cron.user_id)
        # the billing run's batches are queue_job jobs: the replay is their job runner,
        # performing them at once in this transaction
        action = action.with_context(queue_job__no_delay=True)
        began = CLOCK["perf_counter"]()
        # a job that commits its own progress (outside a test only) cannot run in a
        # savepoint: the commit releases it; it runs as the scheduler runs it
        committing = xmlid in COMMITTING_CRONS
        try:
            with nullcontext() if committing else self.env.cr.savepoint():
                action.run()
                self.env.flush_all()
        except Exception as exc:  # noqa: BLE001 - a failing job is a finding of the replay
            if committing:
                self.env.cr.rollback()
            self.env.invalidate_all()
            self.cron_errors.append((self.today, xmlid, str(exc)))
            _logger.warning("replay %s: job %s failed: %s", self.today, xmlid, exc)
        self.cron_seconds[xmlid] += CLOCK["perf_counter"]() - began
        self.cron_runs[xmlid] += 1

    # ------------------------------------------------------------------
    # acting as a user
    # ------------------------------------------------------------------
    def member_invoice(self, membership, invoice_date, *domain):
        """The member's posted customer invoice dated ``invoice_date`` (the first one that also
        matches ``domain``), as its agent finds it on the portal."""
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", membership.partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("invoice_date", "=", invoice_date),
                    *domain,
                ],
                limit=1,
            )
        )

    def attempt(self, scene, callback):
        """A user's action that the suite may refuse: a refusal (UserError, ValidationError)
        is recorded with its message and changes nothing; returns the callback's result."""
        from odoo.exceptions import UserError, ValidationError

        try:
            with self.env.cr.savepoint():
                result = callback()
                self.env.flush_all()
                return result
        except (UserError, ValidationError) as exc:
            self.env.invalidate_all()
            self.refusals.append((self.today, scene, str(exc.args[0])))
            return None
