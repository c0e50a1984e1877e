import random

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class CoopBillingDemo(models.AbstractModel):
    """Demo data that only the addons' own flows can make (months of timesheets invoiced
    by billing runs, a member on funded work concluded through its application), called
    from ``demo/coop_billing_demo.xml``; no business code calls it."""

    _name = "coop.billing.demo"
    _description = "Demo data of the timesheet billing"

    @api.model
    def _generate_work(self, task_ids, employee_ids, months=3):
        """Demo data: ``months`` of realistic timesheets on the tasks, invoiced every
        15 days until a month ago (the last weeks stay on the upcoming invoice)."""
        rng = random.Random(24)
        tasks = self.env["project.task"].browse(task_ids)
        employees = self.env["hr.employee"].browse(employee_ids)
        today = fields.Date.context_today(self)
        day = today - relativedelta(months=months)
        next_invoice = day + relativedelta(days=15)
        Line = self.env["account.analytic.line"].with_context(tracking_disable=True)
        while day < today:
            if day.weekday() < 5:
                vals = []
                for task in tasks:
                    if rng.random() < 0.45:
                        continue
                    limit = task.allocated_hours * 2.5 if task.allocated_hours else None
                    minutes = rng.choice([20, 35, 45, 60, 75, 90, 120, 150])
                    if limit is not None and sum(task.timesheet_ids.mapped("coop_rounded_hours")) + 3 > limit:
                        continue
                    vals.append(
                        {
                            "name": rng.choice(["Analysis", "Meeting", "Development", "Follow-up", "Review"]),
                            "task_id": task.id,
                            "project_id": task.project_id.id,
                            "employee_id": rng.choice(employees).id,
                            "unit_amount": minutes / 60.0,
                            "date": day,
                        }
                    )
                Line.create(vals)
            if day >= next_invoice and day <= today - relativedelta(months=1):
                run = self.env["coop.billing.run"]._create_for_members(tasks.coop_membership_id, date=day)
                run.action_process_now()
                next_invoice = day + relativedelta(days=15)
            day += relativedelta(days=1)

    @api.model
    def _generate_failed_run(self, membership_id):
        """Demo data: a billing run that ended with an error on one member, for staff to
        see a failed line and retry it. The member's customer account was set by mistake
        to an income account: Odoo refuses its invoice, the run says why on the line and
        the work stays on the upcoming invoice. Set *Account Receivable* back to 400000 on
        the company's *Accounting* tab, then *Retry the failed members* on the run."""
        membership = self.env["coop.membership"].browse(membership_id)
        Account = self.env["account.account"]
        income = Account.search(
            [*Account._check_company_domain(membership.company_id), ("account_type", "=", "income")],
            order="code",
            limit=1,
        )
        membership.partner_id.property_account_receivable_id = income
        run = self.env["coop.billing.run"]._create_for_members(membership, date=fields.Date.context_today(self))
        run.action_process_now()
        return run

    @api.model
    def _generate_funded_work(self, regulation_id, pm_id, employee_id):
        """Demo data: a member on funded work (risk 0) concluded through its application,
        1,500.00 prepaid and received, two service invoices: the first released on
        delivery, the second disputed and in mediation (art. 11.3.2); the rest of the
        funded balance is left for new work."""
        today = fields.Date.context_today(self)
        start = today - relativedelta(months=2)
        partner = self.env["res.partner"].create(
            {
                "name": "Studio Zéro Risque SRL",
                "vat": "BE0417500074",
                "is_company": True,
                "street": "Rue de la Loi 42",
                "zip": "1040",
                "city": "Etterbeek",
                "country_id": self.env.ref("base.be").id,
                "email": "contact@demo-zero-risque.be",
                "lang": "fr_BE",
            }
        )
        application = self.env["coop.membership.application"].create(
            {
                "partner_id": partner.id,
                "regulation_id": regulation_id,
                "company_id": self.env.company.id,
                "credit_score": 80.0,
                "coop_payment_mode": "prepayment",
                "prepayment_amount": 1500.0,
                "prepayment_frequency": "quarterly",
            }
        )
        if application.acceptance == "pending":
            application.action_accept()
        application.action_send_contract()
        application.action_sign(start, "Lucie Janssens", "Gérante", True)
        application.action_conclude(start)
        membership = application.membership_id
        membership.write({"pm_id": pm_id, "coop_payment_mode": "prepayment", "coop_funded_work": True})
        membership.action_activate()
        self.env["res.partner"]._coop_create_agent(
            partner, "Lucie Janssens", "agent@demo-zero-risque.be", True, True, True, False, "portal"
        )
        project = self.env["project.project"].create(
            {
                "name": "Studio - web shop (risk 0)",
                "coop_membership_id": membership.id,
                "coop_product_id": self.env.ref("coop_24pm_timesheet_billing.product_coop_service_work").id,
                "allow_timesheets": True,
                "user_id": pm_id,
            }
        )
        prepayment = membership._get_prepayment_account().action_invoice()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=prepayment.ids
        ).create({"payment_date": start})._create_payments()
        task = self.env["project.task"].create({"name": "Web shop", "project_id": project.id})
        Line = self.env["account.analytic.line"]
        Run = self.env["coop.billing.run"]
        invoices = self.env["account.move"]
        for weeks, minutes in ((6, 240), (1, 180)):
            day = today - relativedelta(weeks=weeks)
            Line.create(
                {
                    "name": "Development",
                    "task_id": task.id,
                    "project_id": project.id,
                    "employee_id": employee_id,
                    "unit_amount": minutes / 60.0,
                    "date": day,
                }
            )
            run = Run._create_for_members(membership, date=day)
            run.action_process_now()
            invoices |= run.line_ids.move_id
        first, second = invoices.sorted("id")[:1], invoices.sorted("id")[1:2]
        if first:
            membership._get_prepayment_account().action_coop_release_funded(first.amount_residual)
        if second:
            dispute = self.env["coop.invoice.dispute"].create(
                {
                    "invoice_id": second.id,
                    "invoice_ref": second.name,
                    "amount": membership.currency_id.round(second.amount_total / 2),
                    "subject": "The payment module delivered does not handle Bancontact as agreed.",
                    "channel": "portal",
                }
            )
            dispute.action_coop_start_mediation()
        return membership
