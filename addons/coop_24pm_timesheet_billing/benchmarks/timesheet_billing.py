"""Benchmark: 24PM threshold invoicing vs Odoo's standard sale_timesheet invoicing.

Run from the project root (builds the database once, then runs this file in
``odoo-bin shell`` on a database with the suite and ``sale_timesheet``)::

    addons/coop_24pm_timesheet_billing/benchmarks/run.sh

or by hand: ``odoo-bin shell -d <db> --no-http < .../benchmarks/timesheet_billing.py``.

Environment variables: ``BENCH_MEMBERS`` (default 1000), ``BENCH_LINES`` (default
200000), ``BENCH_HISTORY_YEARS`` (default 5). Everything is built in one transaction
and rolled back at the end: the database is left as it was.

It measures, on the same timesheet lines:
1. our threshold invoicing run (a ``coop.billing.run`` of the due members, processed in-process):
   time, invoices per second, SQL queries per invoice;
2. Odoo's standard path: one sale order per member with a timesheet-based service
   (delivered quantities), invoiced through the "Create invoices" wizard
   (``sale.advance.payment.inv``, method *delivered*), then posted;
3. the data of the member's trust-account page that this addon provides (the next
   invoice being built) for a member with 5 years of history, against a member with
   one month: time and query count.
"""
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)

import os
import random
import time
from datetime import date, timedelta

from odoo import sql_db
from odoo.fields import Command

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "1000"))
LINES = int(os.environ.get("BENCH_LINES", "200000"))
HISTORY_YEARS = int(os.environ.get("BENCH_HISTORY_YEARS", "5"))
BATCH = 5000
TODAY = date.today()
random.seed(24)


def queries():
    return sql_db.sql_counter


class Measure:
    def __init__(self, label):
        self.label = label

    def __enter__(self):
        env.flush_all()
        self.q0, self.t0 = queries(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        env.flush_all()
        self.seconds = time.perf_counter() - self.t0
        self.queries = queries() - self.q0
        return False


def log(msg):
    print(f"[bench] {msg}", flush=True)


def build(env):
    if "sale.order" not in env or not env["ir.module.module"].search_count(
        [("name", "=", "sale_timesheet"), ("state", "=", "installed")]
    ):
        raise SystemExit("Install sale_timesheet in the benchmark database first (see the README).")
    company = env.company
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True))
    ref = env.ref
    cats = [ref(f"coop_24pm_timesheet_billing.category_{c}") for c in ("junior", "medior", "senior")]
    service = env["product.product"].create(
        {
            "name": "Bench service work",
            "type": "service",
            "service_type": "timesheet",
            "service_policy": "delivered_timesheet",
            "invoice_policy": "delivery",
            "uom_id": ref("uom.product_uom_hour").id,
            "list_price": 82.80,
        }
    )
    env["coop.group.rate"].create(
        [
            {"product_id": service.id, "category_id": c.id, "rate": r, "date_from": "2015-01-01"}
            for c, r in zip(cats, (45.0, 60.0, 80.0), strict=True)
        ]
    )
    employees = env["hr.employee"].create(
        [{"name": f"Bench collaborator {i}", "coop_category_id": cats[i % 3].id} for i in range(30)]
    )
    log(f"creating {MEMBERS} members")
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench member {i:05d}",
                "is_company": True,
                "country_id": ref("base.be").id,
                "coop_not_incorporated": True,
            }
            for i in range(MEMBERS + 2)
        ]
    )
    regulation = ref("coop_24pm_membership.regulation_roi_2021")
    memberships = env["coop.membership"].create(
        [{"partner_id": p.id, "regulation_id": regulation.id, "company_id": company.id} for p in partners]
    )
    orders = env["sale.order"].create(
        [
            {"partner_id": p.id, "order_line": [Command.create({"product_id": service.id, "product_uom_qty": 0.0})]}
            for p in partners
        ]
    )
    orders.action_confirm()
    projects = env["project.project"].create(
        [
            {
                "name": f"Work of {m.partner_id.name}",
                "coop_membership_id": m.id,
                "coop_product_id": service.id,
                "allow_timesheets": True,
                "allow_billable": True,
                "partner_id": m.partner_id.id,
                "sale_line_id": o.order_line[:1].id,
            }
            for m, o in zip(memberships, orders, strict=True)
        ]
    )
    tasks = env["project.task"].create([{"name": "Work", "project_id": p.id} for p in projects])
    # the last two members: a 5-year history and a one-month history (portal measure)
    history_member, short_member = memberships[-2:]
    history_task, short_task = tasks[-2:]
    bench_members, bench_tasks = memberships[:-2], tasks[:-2]
    log(f"creating {LINES} timesheet lines")
    # the oldest work 20 days ago: before a first service invoice, art. 6.2 counts the 15
    # days from it, so every bench member is due today
    start = TODAY - timedelta(days=20)
    vals = []
    created = 0
    for i in range(LINES):
        task = bench_tasks[i % len(bench_tasks)]
        vals.append(
            {
                "name": "Work",
                "employee_id": employees[i % len(employees)].id,
                "project_id": task.project_id.id,
                "task_id": task.id,
                "unit_amount": random.randint(5, 240) / 60.0,
                "date": start + timedelta(days=i % 14),
            }
        )
        if len(vals) == BATCH:
            env["account.analytic.line"].create(vals)
            created += len(vals)
            vals = []
            env.invalidate_all()
            log(f"  {created} lines")
    if vals:
        env["account.analytic.line"].create(vals)
    log(f"creating {HISTORY_YEARS} years of history for one member")
    for month in range(HISTORY_YEARS * 12, 0, -1):
        day = (TODAY.replace(day=1) - timedelta(days=30 * month)).replace(day=3)
        env["account.analytic.line"].create(
            [
                {
                    "name": "History",
                    "employee_id": employees[k % 30].id,
                    "project_id": history_task.project_id.id,
                    "task_id": history_task.id,
                    "unit_amount": 1.5,
                    "date": day + timedelta(days=k % 20),
                }
                for k in range(40)
            ]
        )
        history_run = env["coop.billing.run"]._create_for_members(history_member, date=day + timedelta(days=25))
        history_run.action_process_now()
    # the two portal members stay out of the invoicing comparison: their last service
    # invoice is today's (an hour logged yesterday, invoiced now)
    portal_tasks = ((history_task.project_id, history_task), (short_task.project_id, short_task))
    env["account.analytic.line"].create(
        [
            {
                "name": "Setup",
                "employee_id": employees[0].id,
                "project_id": p.id,
                "task_id": t.id,
                "unit_amount": 1.0,
                "date": TODAY - timedelta(days=1),
            }
            for p, t in portal_tasks
        ]
    )
    env["coop.billing.run"]._create_for_members(history_member | short_member, date=TODAY).action_process_now()
    for k in range(40):
        env["account.analytic.line"].create(
            [
                {
                    "name": "Recent",
                    "employee_id": employees[k % 30].id,
                    "project_id": p.id,
                    "task_id": t.id,
                    "unit_amount": 1.0,
                    "date": TODAY - timedelta(days=k % 10),
                }
                for p, t in portal_tasks
            ]
        )
    env.flush_all()
    # planner statistics, as autovacuum keeps them on a live database: without them
    # (the dataset is not committed) PostgreSQL plans the accounting queries of both
    # paths (payment state, reconciliation) as if the tables were empty
    env.cr.execute("ANALYZE")
    return {
        "env": env,
        "members": bench_members,
        "orders": orders[:-2],
        "history": history_member,
        "short": short_member,
    }


def run_ours(env, data):
    with Measure("ours") as m:
        run = env["coop.billing.run"]._create_due_run(date=TODAY, batch_size=100)
        run.action_process_now()
        invoices = run.line_ids.move_id
    lines = env["account.analytic.line"].search_count([("coop_invoice_line_id.move_id", "in", invoices.ids)])
    return m, invoices, lines


def run_standard(env, data):
    orders = data["orders"]
    with Measure("standard") as m:
        wizard = (
            env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create({"advance_payment_method": "delivered", "sale_order_ids": [Command.set(orders.ids)]})
        )
        wizard.create_invoices()
        invoices = orders.invoice_ids.filtered(lambda inv: inv.state == "draft")
        invoices.action_post()
    lines = env["account.analytic.line"].search_count([("timesheet_invoice_id", "in", invoices.ids)])
    return m, invoices, lines


def portal_measure(env, membership):
    membership = membership.with_env(env)
    env.invalidate_all()
    with Measure("portal") as m:
        membership.invalidate_recordset()
        membership._get_uninvoiced_amount()
        env["account.move"].search_read(
            [("coop_membership_id", "=", membership.id), ("coop_is_service_invoice", "=", True)],
            ["name", "invoice_date", "amount_total", "payment_state"],
            limit=20,
            order="invoice_date desc",
        )
    return m


def main(env):
    env.cr.execute("SAVEPOINT coop_bench_data")
    try:
        t0 = time.perf_counter()
        data = build(env)
        env = data["env"]
        log(f"dataset built in {time.perf_counter() - t0:.1f} s")
        env.cr.execute("SAVEPOINT coop_bench_run")
        ours, our_invoices, our_lines = run_ours(env, data)
        n_ours = len(our_invoices)
        env.cr.execute("ROLLBACK TO SAVEPOINT coop_bench_run")
        env.invalidate_all()
        std, std_invoices, std_lines = run_standard(env, data)
        n_std = len(std_invoices)
        env.cr.execute("ROLLBACK TO SAVEPOINT coop_bench_run")
        env.invalidate_all()
        p_long, p_short = portal_measure(env, data["history"]), portal_measure(env, data["short"])
        rows = [
            ("24PM threshold invoicing", ours.seconds, n_ours, our_lines, ours.queries),
            ("Odoo sale_timesheet 'Create invoices'", std.seconds, n_std, std_lines, std.queries),
        ]
        print()
        print(f"{'path':<40} {'seconds':>9} {'invoices':>9} {'lines':>8} {'inv/s':>8} {'queries':>9} {'q/inv':>7}")
        for label, sec, n, lines, q in rows:
            print(
                f"{label:<40} {sec:>9.2f} {n:>9} {lines:>8} {n / sec if sec else 0:>8.1f} {q:>9} "
                f"{q / n if n else 0:>7.1f}"
            )
        print()
        ratio = std.seconds / ours.seconds if ours.seconds else 0
        print(f"ours is {ratio:.2f}x faster than Odoo's standard path (target >= 2x)")
        print()
        print(f"{'next invoice being built (trust account)':<45} {'ms':>8} {'queries':>8}")
        print(
            f"{'member with ' + str(HISTORY_YEARS) + ' years of history':<45} {p_long.seconds * 1000:>8.1f} "
            f"{p_long.queries:>8}"
        )
        print(f"{'member with one month of history':<45} {p_short.seconds * 1000:>8.1f} {p_short.queries:>8}")
    finally:
        env.cr.execute("ROLLBACK TO SAVEPOINT coop_bench_data")
        env.invalidate_all()
        env.cr.rollback()


main(env)
