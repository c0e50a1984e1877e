import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_amount, split_every

from .coop_billing_rules import round_money, service_invoice_due

_logger = logging.getLogger(__name__)


class CoopMembership(models.Model):
    _inherit = "coop.membership"

    coop_project_ids = fields.One2many("project.project", "coop_membership_id", "Projects")
    coop_expense_ids = fields.One2many("coop.expense", "membership_id", "Expenses")
    coop_last_service_invoice_date = fields.Date("Last service invoice", readonly=True, copy=False)
    coop_uninvoiced_amount = fields.Monetary("Next service invoice (so far)", compute="_compute_coop_uninvoiced_amount")
    coop_service_invoice_count = fields.Integer(compute="_compute_coop_service_invoice_count")

    def _compute_coop_uninvoiced_amount(self):
        amounts = self._coop_get_uninvoiced_amounts()
        for membership in self:
            membership.coop_uninvoiced_amount = amounts.get(membership.id, 0.0)

    def _compute_coop_service_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("coop_membership_id", "in", self.ids), ("coop_is_service_invoice", "=", True)],
                ["coop_membership_id"],
                ["__count"],
            )
        )
        for membership in self:
            membership.coop_service_invoice_count = counts.get(membership, 0)

    # ------------------------------------------------------------------
    # the next invoice being built (trust account hook)
    # ------------------------------------------------------------------
    def _get_uninvoiced_amount(self):
        """Billable timesheets and expenses not invoiced yet (two aggregate queries)."""
        self.ensure_one()
        return self._coop_get_uninvoiced_amounts().get(self.id, 0.0)

    def _coop_get_uninvoiced_amounts(self):
        """{membership id: uninvoiced billable amount} for ``self`` (or every member when empty)."""
        scope = self if self else None
        totals = defaultdict(float)
        lines = self.env["account.analytic.line"].sudo()
        for membership, amount in lines._read_group(
            lines._coop_billable_domain(scope), ["coop_membership_id"], ["coop_amount:sum"]
        ):
            totals[membership.id] += amount
        expenses = self.env["coop.expense"].sudo()
        for membership, amount in expenses._read_group(
            expenses._coop_billable_domain(scope), ["membership_id"], ["amount:sum"]
        ):
            totals[membership.id] += amount
        items = self._coop_get_strategy_items(scope)
        for item, (_rate, _margin, amount) in self._coop_price_strategy_items(items).items():
            totals[item.membership_id.id] += amount
        return {key: round_money(value) for key, value in totals.items()}

    # ------------------------------------------------------------------
    # extra strategist services left by coop_24pm_plans (coop.strategy.item)
    # ------------------------------------------------------------------
    def _coop_get_strategy_items(self, memberships=None):
        """Strategic follow-up beyond the plan, not invoiced yet (empty without the model)."""
        if "coop.strategy.item" not in self.env:
            return self.env["coop.membership"].browse()
        Item = self.env["coop.strategy.item"].sudo()
        domain = [("billable_hours", ">", 0), ("invoice_line_id", "=", False)]
        if memberships is not None:
            domain.append(("membership_id", "in", memberships.ids))
        return Item.search(domain, order="membership_id, date, id")

    def _coop_price_strategy_items(self, items):
        """{item: (strategist group rate, margin, amount)}: billable hours x the strategist
        rate on the item's date x (1 + margin of the plan then in force)."""
        if not items:
            return {}
        strategist = self.env.ref("coop_24pm_timesheet_billing.category_strategist")
        Rate = self.env["coop.group.rate"].sudo()
        table = Rate._get_rate_table(items.product_id, strategist)
        priced = {}
        for item in items:
            rate = Rate._lookup(table, item.product_id, strategist, item.date)
            if rate is None:
                rate = item.product_id.lst_price
            margin = item.membership_id._get_plan_margin(item.date) or 0.0
            priced[item] = (rate, margin, round_money(item.billable_hours * rate * (1.0 + margin)))
        return priced

    # ------------------------------------------------------------------
    # threshold invoicing (art. 6.2)
    # ------------------------------------------------------------------
    def _coop_is_service_invoice_due(self, today, uninvoiced, first_work_date=None):
        self.ensure_one()
        regulation = self.regulation_id
        return service_invoice_due(
            today,
            self.coop_last_service_invoice_date or None,
            uninvoiced,
            self._get_guarantee_paid() or 0.0,
            self._has_credit_line(),
            every_days=regulation.service_invoice_days or 15,
            daily_without_guarantee=regulation.daily_invoice_without_guarantee,
            rounding=self.currency_id.rounding or 0.01,
            first_work_date=first_work_date,
        )

    @api.model
    def _coop_get_due_memberships(self, today):
        amounts = self.browse()._coop_get_uninvoiced_amounts()
        candidates = self.sudo().browse([mid for mid, amount in amounts.items() if amount > 0])
        # before the first service invoice, the days run from the oldest uninvoiced work
        Line = self.env["account.analytic.line"].sudo()
        first_work = {
            membership.id: first
            for membership, first in Line._read_group(
                Line._coop_billable_domain(candidates.filtered(lambda m: not m.coop_last_service_invoice_date)),
                ["coop_membership_id"],
                ["date:min"],
            )
        }
        return candidates.filtered(lambda m: m._coop_is_service_invoice_due(today, amounts[m.id], first_work.get(m.id)))

    @api.model
    def _cron_coop_service_invoicing(self, batch_size=50):
        """Scheduled action: one posted service invoice per member that is due."""
        return self._coop_run_service_invoicing(batch_size=batch_size)

    @api.model
    def _coop_run_service_invoicing(self, today=None, batch_size=50, commit_progress=None):
        """Invoice every due member by batches; after each batch the work is committed
        and reported (``ir.cron._commit_progress``). When the cron's time is up, the
        remaining members stay due and the next run resumes with them."""
        today = today or fields.Date.context_today(self)
        commit_progress = commit_progress or self.env["ir.cron"]._commit_progress
        due = self._coop_get_due_memberships(today)
        commit_progress(remaining=len(due))
        invoices = self.env["account.move"]
        for batch_ids in split_every(batch_size, due.ids):
            batch = self.browse(batch_ids)
            invoices |= batch._coop_invoice_services(today)
            if not commit_progress(len(batch)):
                break
        return invoices

    @api.model
    def _coop_demo_work(self, task_ids, employee_ids, months=3):
        """Demo data: ``months`` of realistic timesheets on the tasks, invoiced every
        15 days until a month ago (the last weeks stay on the upcoming invoice)."""
        import random  # noqa: PLC0415 (demo only)

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
                tasks.coop_membership_id._coop_invoice_services(day)
                next_invoice = day + relativedelta(days=15)
            day += relativedelta(days=1)

    def action_coop_invoice_now(self):
        """Staff: issue the service invoice of these members now, whatever the rhythm."""
        invoices = self._coop_invoice_services(fields.Date.context_today(self))
        if not invoices:
            raise UserError(
                self.env._("Nothing to invoice: no uninvoiced work or expense (or another run is invoicing it).")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Service invoices"),
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
        }

    def action_view_coop_service_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Service invoices"),
            "view_mode": "list,form",
            "domain": [("coop_membership_id", "=", self.id), ("coop_is_service_invoice", "=", True)],
            "context": {"default_move_type": "out_invoice"},
        }

    def _coop_invoice_services(self, today):
        """Build and post one service invoice per member of ``self``, exactly once.

        Members and lines are locked (``try_lock_for_update``) in the transaction that
        writes the invoice: a member or a line held by another run is skipped here and
        stays billable, so two runs never bill the same line and none is lost.
        """
        memberships = self.sudo().try_lock_for_update(allow_referencing=True)
        if not memberships:
            return self.env["account.move"]
        Line = self.env["account.analytic.line"].sudo()
        Expense = self.env["coop.expense"].sudo()
        lines = Line.search(Line._coop_billable_domain(memberships), order="coop_membership_id, date, id")
        expenses = Expense.search(Expense._coop_billable_domain(memberships), order="membership_id, date, id")
        items = self._coop_get_strategy_items(memberships)
        lines = lines.try_lock_for_update(allow_referencing=True)
        expenses = expenses.try_lock_for_update(allow_referencing=True)
        items = items.try_lock_for_update(allow_referencing=True)
        items.invalidate_recordset(["invoice_line_id"])
        items = items.filtered(lambda i: not i.invoice_line_id)
        # re-read after the locks: another run may have billed them just before we got them
        lines.invalidate_recordset(["coop_invoice_line_id"])
        expenses.invalidate_recordset(["invoice_line_id"])
        lines = lines.filtered(lambda rec: not rec.coop_invoice_line_id)
        expenses = expenses.filtered(lambda e: not e.invoice_line_id)
        lines_by_member = defaultdict(lambda: Line)
        for membership, group in lines.grouped("coop_membership_id").items():
            lines_by_member[membership.id] = group
        expenses_by_member = expenses.grouped("membership_id")
        items_by_member = items.grouped("membership_id")
        move_vals, sources = [], []
        for membership in memberships:
            m_lines = lines_by_member[membership.id]
            m_expenses = expenses_by_member.get(membership, Expense)
            m_items = items_by_member.get(membership, items.browse())
            if not m_lines and not m_expenses and not m_items:
                continue
            vals, line_sources = membership._coop_prepare_service_invoice_vals(today, m_lines, m_expenses, m_items)
            move_vals.append(vals)
            sources.append(line_sources)
        if not move_vals:
            return self.env["account.move"]
        moves = self.env["account.move"].sudo().with_context(default_move_type="out_invoice").create(move_vals)
        links = defaultdict(list)
        for move, line_sources in zip(moves, sources, strict=True):
            by_sequence = {aml.sequence: aml for aml in move.invoice_line_ids}
            for sequence, (kind, records) in line_sources.items():
                links[kind].append((by_sequence[sequence].id, records))
        self._coop_link_invoice_lines(links)
        moves._coop_post()
        moves.coop_membership_id.write({"coop_last_service_invoice_date": today})
        self._coop_send_service_invoices(moves)
        _logger.info("Service invoicing: %s invoices posted", len(moves))
        return moves

    def _coop_link_invoice_lines(self, links):
        """Write the invoice line on the timesheets and expenses it bills.

        One ``UPDATE ... WHERE id = ANY(...)`` per invoice line (through the primary key:
        the rows are already locked by this transaction), instead of the ORM's generic
        write, which on ``account.analytic.line`` runs the timesheet overrides for every
        row and may join the whole table."""
        tables = {
            "timesheet": ("account.analytic.line", "coop_invoice_line_id"),
            "expense": ("coop.expense", "invoice_line_id"),
        }
        for aml_id, records in links.pop("strategy", []):
            records.write({"invoice_line_id": aml_id})  # few rows; the ORM keeps ``billed`` right
        for kind, pairs in links.items():
            model_name, field = tables[kind]
            model = self.env[model_name]
            model.flush_model([field])
            for aml_id, records in pairs:
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s, write_uid = %s, write_date = (now() at time zone 'UTC') "
                        "WHERE id = ANY(%s)",
                        SQL.identifier(model._table),
                        SQL.identifier(field),
                        aml_id,
                        self.env.uid,
                        records.ids,
                    )
                )
            model.invalidate_model([field, "write_uid", "write_date"])

    def _coop_send_service_invoices(self, moves):
        """Send the invoices by e-mail through Odoo's own asynchronous sending
        (``account.move.send``: PDF, e-mail, chatter), after this transaction commits."""
        moves.sending_data = {
            "author_user_id": self.env.user.id,
            "author_partner_id": self.env.user.partner_id.id,
        }
        send_cron = self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)
        if send_cron:
            send_cron.sudo()._trigger()

    def _coop_prepare_service_invoice_vals(self, today, lines, expenses, items=None):
        """Sections: services by task and category (group rate shown), expenses, commercial margin."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env  # the member's language
        currency = self.currency_id
        cmds, sources, margin_base = [], {}, defaultdict(float)
        sequence = 0
        plan_of, income = self._coop_plan_on_date_resolver(), self._coop_income_resolver()  # income per plan
        taxes = [Command.set(self.company_id.account_sale_tax_id.ids)]

        def section(name):
            nonlocal sequence
            sequence += 10
            cmds.append(Command.create({"display_type": "line_section", "name": name, "sequence": sequence}))

        def line(vals, kind=None, records=None):
            nonlocal sequence
            sequence += 10
            cmds.append(Command.create({**vals, "sequence": sequence}))
            if records is not None:
                sources[sequence] = (kind, records)

        if lines:
            section(env._("Services"))
            groups = lines.grouped(lambda rec: (rec.task_id, rec.coop_category_id, rec.coop_rate, plan_of(rec.date)))
            for (task, category, rate, plan), group in groups.items():
                hours = sum(group.mapped("coop_billable_hours"))
                product = task.coop_product_id or group[:1].project_id.coop_product_id
                for margin, m_group in group.grouped("coop_margin").items():
                    margin_base[(plan, margin)] += sum(m_group.mapped("coop_billable_hours")) * rate
                line(
                    {
                        "product_id": product.id,
                        "name": env._(
                            "%(task)s - %(category)s, group rate %(rate)s/h",
                            task=task.display_name or group[:1].project_id.display_name,
                            category=category.with_env(env).name,
                            rate=format_amount(self.env, rate, currency),
                        ),
                        "quantity": hours,
                        "price_unit": rate,
                        "tax_ids": taxes,
                        **income(plan, "service"),
                    },
                    "timesheet",
                    group,
                )
        if expenses:
            section(env._("Expenses"))
            labels = dict(env["coop.expense"]._fields["expense_type"]._description_selection(env))
            for expense in expenses:
                plan = plan_of(expense.date)
                if expense.margin:
                    margin_base[(plan, expense.margin)] += expense.quantity * expense.price_unit
                line(
                    {
                        "name": f"{labels.get(expense.expense_type)}: {expense.name}",
                        "quantity": expense.quantity,
                        "price_unit": expense.price_unit,
                        "tax_ids": taxes,
                        **income(plan, "expense"),
                    },
                    "expense",
                    expense,
                )
        if items:
            section(env._("Extra services"))
            kinds = dict(items._fields["kind"]._description_selection(env))
            for item, (rate, margin, _amount) in self._coop_price_strategy_items(items).items():
                plan = plan_of(item.date)
                if margin:
                    margin_base[(plan, margin)] += item.billable_hours * rate
                line(
                    {
                        "product_id": item.product_id.id,
                        "name": env._(
                            "%(kind)s of %(date)s, strategist rate %(rate)s/h",
                            kind=kinds.get(item.kind),
                            date=item.date,
                            rate=format_amount(self.env, rate, currency),
                        ),
                        "quantity": item.billable_hours,
                        "price_unit": rate,
                        "tax_ids": taxes,
                        **income(plan, "extra"),
                    },
                    "strategy",
                    item,
                )
        margin_base = {key: base for key, base in margin_base.items() if key[1]}
        if margin_base:
            section(env._("Commercial margin"))
            # one line per plan and margin rate: the management report sums the margin per plan
            for (plan, margin), base in sorted(margin_base.items(), key=lambda kv: (kv[0][1], kv[0][0].id or 0)):
                line(
                    {
                        "name": env._(
                            "Commercial margin of the plan, %(percent)s %% of %(base)s",
                            percent=f"{margin * 100:g}",
                            base=format_amount(self.env, round_money(base), currency),
                        ),
                        "quantity": 1.0,
                        "price_unit": currency.round(base * margin),
                        "tax_ids": taxes,
                        **income(plan, "margin"),
                    }
                )
        # the upgrade advice (SPEC 3.3) is printed on every invoice by coop_24pm_plans
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_date": today,
            "date": today,
            "coop_membership_id": self.id,
            "coop_is_service_invoice": True,
            "invoice_origin": self.name,
            "invoice_line_ids": cmds,
        }, sources
