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
            # the next batch starts with an empty cache: the memory stays flat on a long run
            self.env.flush_all()
            self.env.invalidate_all()
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

        Members and lines are locked (``try_lock_for_update`` / ``FOR NO KEY UPDATE SKIP
        LOCKED``) in the transaction that writes the invoice: a member or a line held by
        another run is skipped here and stays billable, so two runs never bill the same
        line and none is lost.

        The cost per member is a constant number of queries for the whole batch: the
        timesheets are locked and summed in one query (never loaded one by one), the
        invoices are created in one ``create`` and posted in one ``_post``, and the
        timesheets and expenses are marked invoiced in one ``UPDATE`` per table.
        """
        memberships = self.sudo().try_lock_for_update(allow_referencing=True)
        if not memberships:
            return self.env["account.move"]
        Expense = self.env["coop.expense"].sudo()
        groups_by_member = self._coop_lock_billable_timesheets(memberships)
        expenses = Expense.search(Expense._coop_billable_domain(memberships), order="membership_id, date, id")
        items = self._coop_get_strategy_items(memberships)
        expenses = expenses.try_lock_for_update(allow_referencing=True)
        items = items.try_lock_for_update(allow_referencing=True)
        # re-read after the locks: another run may have billed them just before we got them
        items.invalidate_recordset(["invoice_line_id"])
        expenses.invalidate_recordset(["invoice_line_id"])
        items = items.filtered(lambda i: not i.invoice_line_id)
        expenses = expenses.filtered(lambda e: not e.invoice_line_id)
        expenses_by_member = expenses.grouped("membership_id")
        items_by_member = items.grouped("membership_id")
        # prefetch what the invoice lines show (names of tasks, projects, categories, services)
        Task, Project = self.env["project.task"].sudo(), self.env["project.project"].sudo()
        groups = [group for member_groups in groups_by_member.values() for group in member_groups]
        Task.browse({g["task_id"] for g in groups if g["task_id"]}).fetch(["name", "coop_product_id"])
        Project.browse({g["project_id"] for g in groups}).fetch(["name", "coop_product_id"])
        memberships.fetch(["partner_id", "company_id", "currency_id", "name"])
        memberships.partner_id.fetch(["lang"])
        move_vals, sources = [], []
        for membership in memberships:
            m_groups = groups_by_member.get(membership.id, [])
            m_expenses = expenses_by_member.get(membership, Expense)
            m_items = items_by_member.get(membership, items.browse())
            if not m_groups and not m_expenses and not m_items:
                continue
            vals, line_sources = membership._coop_prepare_service_invoice_vals(today, m_groups, m_expenses, m_items)
            move_vals.append(vals)
            sources.append(line_sources)
        if not move_vals:
            return self.env["account.move"]
        moves = (
            self.env["account.move"]
            .sudo()
            .with_context(default_move_type="out_invoice", mail_create_nolog=True)
            .create(move_vals)
        )
        links = defaultdict(list)
        moves.invoice_line_ids.fetch(["sequence", "move_id"])
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

    def _coop_lock_billable_timesheets(self, memberships):
        """Lock the billable timesheets of ``memberships`` and sum them, in one query.

        The lines held by another transaction are skipped (``SKIP LOCKED``): they stay
        billable for a later run. Returns ``{membership id: [group, ...]}``, one group per
        task (or project), collaborator category and group rate, in the order of their
        first line (date, id), and plan in force on the date of the work; a group is a dict
        with ``task_id``, ``project_id``, ``category_id``, ``rate``, ``plan`` (``coop.plan``
        record, for the income account and the management report), ``hours`` (billable),
        ``margins`` ({plan margin: billable hours}) and ``line_ids``.
        """
        Line = self.env["account.analytic.line"].sudo()
        Line.flush_model()
        billable = Line._search(Line._coop_billable_domain(memberships))
        rows = self.env.execute_query(
            SQL(
                """
                WITH locked AS MATERIALIZED (%(billable)s FOR NO KEY UPDATE SKIP LOCKED)
                SELECT line.coop_membership_id, line.task_id, line.project_id, line.coop_category_id,
                       line.coop_rate, line.coop_margin, SUM(line.coop_billable_hours),
                       ARRAY_AGG(line.id ORDER BY line.id), line.date,
                       MIN(line.id)
                  FROM account_analytic_line line
                  JOIN locked ON locked.id = line.id
                 GROUP BY 1, 2, 3, 4, 5, 6, 9
                """,
                billable=billable.select(SQL.identifier(Line._table, "id")),
            )
        )
        rows.sort(key=lambda row: (row[0], row[8], row[9]))
        result = defaultdict(list)
        index, plan_resolvers = {}, {}
        by_id = {membership.id: membership for membership in memberships}  # one prefetch for the batch
        for member_id, task_id, project_id, category_id, rate, margin, hours, line_ids, day, _fid in rows:
            if member_id not in plan_resolvers:
                plan_resolvers[member_id] = by_id[member_id]._coop_plan_on_date_resolver()
            plan = plan_resolvers[member_id](day)
            key = (member_id, task_id, project_id, category_id, rate, plan)
            group = index.get(key)
            if group is None:
                group = index[key] = {
                    "task_id": task_id,
                    "project_id": project_id,
                    "category_id": category_id,
                    "rate": rate,
                    "plan": plan,
                    "hours": 0.0,
                    "margins": defaultdict(float),
                    "line_ids": [],
                }
                result[member_id].append(group)
            group["hours"] += hours
            group["margins"][margin or 0.0] += hours
            group["line_ids"] += line_ids
        return result

    def _coop_link_invoice_lines(self, links):
        """Write the invoice line on the timesheets and expenses it bills.

        One ``UPDATE ... FROM unnest(...)`` per table for the whole batch (through the
        primary key: the rows are already locked by this transaction), instead of the
        ORM's generic write, which on ``account.analytic.line`` runs the timesheet
        overrides for every row and may join the whole table. ``links`` maps a kind
        (timesheet, expense, strategy) to ``[(invoice line id, ids or records), ...]``."""
        tables = {
            "timesheet": ("account.analytic.line", "coop_invoice_line_id"),
            "expense": ("coop.expense", "invoice_line_id"),
        }
        for aml_id, records in links.pop("strategy", []):
            records.write({"invoice_line_id": aml_id})  # few rows; the ORM keeps ``billed`` right
        for kind, pairs in links.items():
            model_name, field = tables[kind]
            model = self.env[model_name]
            record_ids, aml_ids = [], []
            for aml_id, records in pairs:
                ids = records if isinstance(records, list) else records.ids
                record_ids += ids
                aml_ids += [aml_id] * len(ids)
            if not record_ids:
                continue
            model.flush_model([field])
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(field)s = link.aml_id, write_uid = %(uid)s, "
                    "write_date = (now() at time zone 'UTC') "
                    "FROM unnest(%(ids)s::int[], %(aml_ids)s::int[]) AS link(id, aml_id) "
                    "WHERE %(table)s.id = link.id",
                    table=SQL.identifier(model._table),
                    field=SQL.identifier(field),
                    uid=self.env.uid,
                    ids=record_ids,
                    aml_ids=aml_ids,
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

    def _coop_prepare_service_invoice_vals(self, today, groups, expenses, items=None):
        """Sections: services by task and category (group rate shown), expenses, commercial margin.

        ``groups``: the member's timesheets summed by task, category and group rate (see
        ``_coop_lock_billable_timesheets``); ``expenses`` and ``items``: records."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env  # the member's language
        currency = self.currency_id
        cmds, sources, margin_base = [], {}, defaultdict(float)
        sequence = 0
        plan_of, income = self._coop_plan_on_date_resolver(), self._coop_income_resolver()  # income per plan
        sale_tax = self.company_id.account_sale_tax_id
        taxes = [Command.set(sale_tax.ids)]
        # precomputed amounts and tax grids of the service lines: ``account.move`` checks
        # them when it synchronises the invoice (and corrects them if they differ), but
        # it no longer has to write every line a second time
        hints = {}
        if currency == self.company_id.currency_id:
            base_tags = sale_tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "base").tag_ids
            hints["tax_tag_ids"] = [Command.set(base_tags.ids)]

        def section(name):
            nonlocal sequence
            sequence += 10
            cmds.append(Command.create({"display_type": "line_section", "name": name, "sequence": sequence}))

        def line(vals, kind=None, records=None):
            nonlocal sequence
            sequence += 10
            if hints:
                subtotal = currency.round(vals["quantity"] * vals["price_unit"])
                vals = {**vals, **hints, "amount_currency": -subtotal, "balance": -subtotal}
            cmds.append(Command.create({**vals, "sequence": sequence}))
            if records is not None:
                sources[sequence] = (kind, records)

        if groups:
            section(env._("Services"))
            Task, Project = env["project.task"].sudo(), env["project.project"].sudo()
            Category = env["coop.collaborator.category"].sudo()
            for group in groups:
                task, project = Task.browse(group["task_id"]), Project.browse(group["project_id"])
                category, rate = Category.browse(group["category_id"]), group["rate"]
                product = task.coop_product_id or project.coop_product_id
                for margin, hours in group["margins"].items():
                    margin_base[(group["plan"], margin)] += hours * rate
                line(
                    {
                        "product_id": product.id,
                        "name": env._(
                            "%(task)s - %(category)s, group rate %(rate)s/h",
                            task=task.display_name or project.display_name,
                            category=category.name,
                            rate=format_amount(self.env, rate, currency),
                        ),
                        "quantity": group["hours"],
                        "price_unit": rate,
                        "tax_ids": taxes,
                        **income(group["plan"], "service"),
                    },
                    "timesheet",
                    group["line_ids"],
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
                percent, base_text = f"{margin * 100:g}", format_amount(self.env, round_money(base), currency)
                line(
                    {
                        "name": env._(
                            "Commercial margin of the plan %(plan)s, %(percent)s %% of %(base)s",
                            plan=plan.with_env(env).name,
                            percent=percent,
                            base=base_text,
                        )
                        if plan
                        else env._(
                            "Commercial margin of the plan, %(percent)s %% of %(base)s", percent=percent, base=base_text
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
