"""Benchmark B6 (issue 18, finding 3): a run of each scheduled job of the suite that checks
the Cooperative configuration (``res.company._coop_ready_companies``), with nothing to do.

The replayed year runs each daily job 365 times; on a database with few members most runs
find nothing to do, so their cost is the fixed cost of a run: mostly the configuration check.
``bench.sh`` runs it as B6 (``BENCH_ONLY=b6``) on a copy of its suite's database; by hand, run
it in ``odoo-bin shell`` on a database of the four addons (nothing is kept: every run is rolled
back), e.g. a copy of the template ``coop_lead``::

    $ODOO shell -d coop_speed --addons-path=$AP --no-http --log-level=warn \\
        < addons/coop_24pm_timesheet_billing/benchmarks/jobs_noop_bench.py

BENCH_RUNS (5): measured runs per job (after one warm-up run, as a worker that has run
the job before); the best time is kept. BENCH_COLD=1 clears Odoo's caches before each run
(as the first run after a change of the configuration in any worker).

Prints one line ``RESULT {json}`` per job: queries and milliseconds of one run, and a total.
"""
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)

import json
import os
import time

from odoo import fields, sql_db

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
COLD = os.environ.get("BENCH_COLD") == "1"

JOBS = [
    ("configuration check alone", "res.company", lambda m: m._coop_ready_companies("Benchmark")),
    ("terminations after notice", "coop.membership.termination", lambda m: m._cron_terminate_after_notice()),
    ("plan changes", "coop.plan.change", lambda m: m._cron_apply_plan_changes()),
    ("end of trials", "contract.contract", lambda m: m._cron_end_trials()),
    ("annual free months", "account.move", lambda m: m._cron_coop_annual_free_months()),
    ("contribution invoicing", "contract.contract", lambda m: m.cron_recurring_create_invoice()),
    ("late fees", "account.move", lambda m: m._cron_coop_late_fees()),
    ("late fees owed", "account.move", lambda m: m._cron_coop_late_fees_owed()),
    ("direct debits", "account.move", lambda m: m._cron_coop_direct_debit()),
    ("prepayments", "coop.prepayment.account", lambda m: m._cron_prepayments()),
    ("service invoicing", "coop.billing.run", lambda m: m._cron_coop_service_invoicing()),
]


def result(**values):
    print("RESULT " + json.dumps(values), flush=True)


def measure(env, fn):
    env.cr.execute("SAVEPOINT b6")
    if COLD:
        env.registry.clear_all_caches()
    env.invalidate_all()
    env.flush_all()
    q0, t0 = sql_db.sql_counter, time.perf_counter()
    fn()
    env.flush_all()
    seconds, queries = time.perf_counter() - t0, sql_db.sql_counter - q0
    env.cr.execute("ROLLBACK TO SAVEPOINT b6")
    env.invalidate_all()
    return seconds, queries


def main(env):
    env = env(context=dict(env.context, tracking_disable=True))
    total_ms = total_q = 0
    for label, model, job in JOBS:
        Model = env[model].with_context(lastcall=fields.Datetime.now())
        measure(env, lambda Model=Model, job=job: job(Model))  # warm-up
        runs = [measure(env, lambda Model=Model, job=job: job(Model)) for _i in range(RUNS)]
        best = min(runs)
        if model != "res.company":
            total_ms += 1000 * best[0]
            total_q += best[1]
        result(job=label, ms=round(1000 * best[0], 1), queries=best[1], cold=COLD)
    env.cr.rollback()
    result(job="total of the jobs", ms=round(total_ms, 1), queries=total_q, cold=COLD)


main(env)
