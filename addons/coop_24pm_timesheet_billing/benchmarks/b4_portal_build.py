"""B4 dataset (run in ``odoo-bin shell`` on a demo database, committed; see b4_portal.sh).

Gives the demo member Atelier Lumière (agent ``agent@demo-atelier.be``) five years of
history through the suite's own engines: a project, 40 timesheets a month and a billing
run each month (60 service invoices, 2,400 timesheets), half of the invoices paid. The
demo member Brasserie du Parc (agent ``agent@demo-brasserie.be``) keeps the demo's few
weeks. Both agents get the password ``portal``. Idempotent: a second run does nothing.
"""
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

TODAY = date.today()
MONTHS = 60


def build(env):
    atelier = env.ref("coop_24pm_guarantee.demo_membership_atelier")
    Project = env["project.project"].with_context(tracking_disable=True)
    project = Project.search([("coop_membership_id", "=", atelier.id), ("name", "=", "B4 history")], limit=1)
    users = env["res.users"].search([("login", "in", ("agent@demo-atelier.be", "agent@demo-brasserie.be"))])
    users.write({"password": "portal"})
    if project:
        print("RESULT b4 dataset already built")
        return
    product = env.ref("coop_24pm_timesheet_billing.product_coop_service_work")
    project = Project.create(
        {
            "name": "B4 history",
            "coop_membership_id": atelier.id,
            "coop_product_id": product.id,
            "allow_timesheets": True,
        }
    )
    task = env["project.task"].with_context(tracking_disable=True).create({"name": "Support", "project_id": project.id})
    employees = env["hr.employee"].search(
        [("coop_category_id", "!=", False), ("coop_category_id.is_external", "=", False)]
    )
    Line = env["account.analytic.line"].with_context(tracking_disable=True)
    Run = env["coop.billing.run"]
    first = (TODAY.replace(day=1) - relativedelta(months=MONTHS)).replace(day=3)
    invoices = env["account.move"]
    for month in range(MONTHS):
        day = first + relativedelta(months=month)
        Line.create(
            [
                {
                    "name": "Support",
                    "employee_id": employees[k % len(employees)].id,
                    "project_id": project.id,
                    "task_id": task.id,
                    "unit_amount": 1.5,
                    "date": day + timedelta(days=k % 20),
                }
                for k in range(40)
            ]
        )
        run = Run._create_for_members(atelier, date=day + timedelta(days=24))
        run.action_process_now()
        invoices |= run.line_ids.move_id
        env.cr.commit()
    # half of the history paid (a register payment, as a statement would reconcile it)
    for invoice in invoices[::2]:
        env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": invoice.invoice_date_due or invoice.invoice_date}
        )._create_payments()
    env.cr.commit()
    print(f"RESULT b4 dataset: {len(invoices)} service invoices over {MONTHS} months for {atelier.display_name}")


build(env)
