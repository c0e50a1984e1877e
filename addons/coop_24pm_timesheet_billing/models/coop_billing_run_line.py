import logging
from collections import defaultdict

import psycopg2

from odoo import fields, models
from odoo.fields import Command
from odoo.tools import SQL, float_round, format_amount, format_date

_logger = logging.getLogger(__name__)


class CoopBillingRunLine(models.Model):
    """One member considered by a billing run: its state, its invoice or its error.

    The invoicing engine lives here: ``_process`` invoices a batch of lines
    (one savepoint for the batch, one per member when the batch fails, so a member's
    error is written on its line and the others are invoiced)."""

    _name = "coop.billing.run.line"
    _inherit = ["coop.run.line.mixin"]
    _description = "Member of a billing run"
    _order = "run_id, id"
    _rec_name = "membership_id"

    run_id = fields.Many2one("coop.billing.run", required=True, ondelete="cascade", index=True)
    membership_id = fields.Many2one("coop.membership", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id")
    state = fields.Selection(
        [
            ("pending", "To process"),
            ("done", "Invoiced"),
            ("nothing", "Nothing to invoice"),
            ("skipped", "Held elsewhere"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ]
    )
    move_id = fields.Many2one("account.move", "Invoice", readonly=True, index="btree_not_null")
    currency_id = fields.Many2one(related="run_id.currency_id")
    amount_untaxed = fields.Monetary("Untaxed amount", readonly=True)
    message = fields.Text(help="Why the member failed or was skipped; the lock date of a locked period.")

    _member_uniq = models.Constraint("UNIQUE(run_id, membership_id)", "A member is considered once per billing run.")

    # ------------------------------------------------------------------
    # a batch
    # ------------------------------------------------------------------
    def _process(self):
        """Invoice the members of these pending lines (one batch of one run) and write the
        outcome on each line.

        The whole batch is tried first in one savepoint (one ``create`` and one ``_post``
        for all its invoices). When it fails, each member is retried in a savepoint of its
        own: the failing member gets its error on its line, the others their invoice.
        Serialization and lock errors are not caught: queue_job retries the job."""
        if not self:
            return
        run = self.run_id
        run.ensure_one()
        lines = self
        notes = lines._get_lock_notes(run.date)
        try:
            with self.env.cr.savepoint():
                results = self._invoice_services(lines.membership_id, run.date)
        except psycopg2.OperationalError:
            raise
        except Exception:  # noqa: BLE001 (isolate the member that fails, below)
            results = {}
            for line in lines:
                try:
                    with self.env.cr.savepoint():
                        results.update(self._invoice_services(line.membership_id, run.date))
                except psycopg2.OperationalError:
                    raise
                except Exception as error:  # noqa: BLE001 (written on the member's line)
                    _logger.info("Billing run %s: %s not invoiced: %s", run.name, line.membership_id.name, error)
                    results[line.membership_id.id] = error
        held = self.env._('Held by another transaction (another run or "invoice now"): left for the next run.')
        for line in lines:
            result = results.get(line.membership_id.id)
            if result is None:
                line.write({"state": "nothing", "message": False})
            elif isinstance(result, str):  # "held"
                line.write({"state": "skipped", "message": held})
            elif isinstance(result, Exception):
                line.write({"state": "failed", "message": str(result.args[0] if result.args else repr(result))})
            else:
                line.write(
                    {
                        "state": "done",
                        "move_id": result.id,
                        "amount_untaxed": result.amount_untaxed,
                        "message": notes.get(line.membership_id.company_id, False),
                    }
                )

    def _get_lock_notes(self, date):
        """{company: note} for the companies of these lines whose sales are locked on
        ``date``: their invoices are accounted on the date ``_get_accounting_date`` gives
        (``_coop_post``), nothing is posted into the locked period, and each line names the
        lock date."""
        notes = {}
        Journal = self.env["account.journal"].sudo()
        Move = self.env["account.move"].sudo().with_context(coop_post_dating=True)
        for company in self.membership_id.company_id:
            journal = Journal.search([*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1)
            locks = company.sudo()._get_violated_lock_dates(date, True, journal)
            if locks:
                # the date the invoice will be posted on, as posting dates it
                invoice = Move.new({"move_type": "out_invoice", "journal_id": journal.id, "company_id": company.id})
                notes[company] = self.env._(
                    "The period is locked until %(lock_date)s: nothing is posted into it, the invoice is "
                    "accounted on %(open_date)s.",
                    lock_date=format_date(self.env, max(lock for lock, _kind in locks)),
                    open_date=format_date(self.env, invoice._get_accounting_date(date, True, lock_dates=locks)),
                )
        return notes

    def _invoice_services(self, memberships, today):
        """Build and post one service invoice per member of ``memberships``, exactly once;
        returns ``{membership id: invoice, or "held"}`` (members with nothing to invoice
        are left out).

        Members and lines are locked (``try_lock_for_update`` / ``FOR NO KEY UPDATE SKIP
        LOCKED``) in the transaction that writes the invoice: a member or a line held by
        another run is skipped here and stays billable, so two runs never bill the same
        line and none is lost.

        The cost per member is a constant number of queries for the whole batch: the
        timesheets are locked and summed in one query (never loaded one by one), the
        invoices are created in one ``create`` and posted in one ``_post``, and the
        timesheets and expenses are marked invoiced in one ``UPDATE`` per table.
        """
        memberships = memberships.sudo()
        locked = memberships.try_lock_for_update(allow_referencing=True)
        results = {membership.id: "held" for membership in memberships - locked}
        memberships = locked
        if not memberships:
            return results
        Expense = self.env["coop.expense"].sudo()
        groups_by_member = self._lock_billable_timesheets(memberships)
        expenses = Expense.search(Expense._coop_billable_domain(memberships), order="membership_id, date, id")
        items = self.env["coop.service.pricing"].sudo()._get_strategy_items(memberships)
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
        # what Odoo would look up for each invoice, looked up once: the sales journal
        # (``_search_default_journal``) and the payment term of SPEC 7.1
        Move = self.env["account.move"].sudo()
        term = Move.new({"move_type": "out_invoice"})._coop_get_payment_term()
        journals = {
            company: Move.new({"move_type": "out_invoice", "company_id": company.id})._search_default_journal()
            for company in memberships.company_id
        }
        move_vals, sources = [], []
        for membership in memberships:
            m_groups = groups_by_member.get(membership.id, [])
            m_expenses = expenses_by_member.get(membership, Expense)
            m_items = items_by_member.get(membership, items.browse())
            if not m_groups and not m_expenses and not m_items:
                continue
            vals, line_sources = self._prepare_invoice_vals(membership, today, m_groups, m_expenses, m_items)
            vals.update(journal_id=journals[membership.company_id].id, invoice_payment_term_id=term.id)
            move_vals.append(vals)
            sources.append(line_sources)
        if not move_vals:
            return results
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
        self._link_invoice_lines(links)
        moves._coop_post()
        self._send_invoices(moves)
        _logger.info("Service invoicing: %s invoices posted", len(moves))
        results.update({move.coop_membership_id.id: move for move in moves})
        return results

    def _lock_billable_timesheets(self, memberships):
        """Lock the billable timesheets of ``memberships`` and sum them, in one query.

        The lines held by another transaction are skipped (``SKIP LOCKED``): they stay
        billable for a later run. See ``_group_billable_timesheets`` for the groups."""
        return self._group_billable_timesheets(memberships, lock=True)

    def _group_billable_timesheets(self, memberships=None, lock=False):
        """The billable timesheets of ``memberships`` (every member when ``None``) summed
        in one query, locked (``FOR NO KEY UPDATE SKIP LOCKED``) when ``lock``.

        Returns ``{membership id: [group, ...]}``, one group per
        task (or project), collaborator category and group rate, in the order of their
        first line (date, id), and plan in force on the date of the work (``coop_plan_id``,
        set with the line's margin when it is priced); a group is a dict
        with ``task_id``, ``project_id``, ``category_id``, ``rate``, ``plan`` (``coop.plan``
        record, for the income account and the management report), ``hours`` (billable),
        ``margins`` ({plan margin: billable hours}), ``line_ids`` (when ``lock``) and
        ``first_date`` (of its oldest line).
        """
        Line = self.env["account.analytic.line"].sudo()
        Line.flush_model()
        billable = Line._search(Line._coop_billable_domain(memberships))
        if lock:
            # lock first (FOR UPDATE cannot be used with GROUP BY), then sum what was locked
            source = SQL(
                "account_analytic_line line JOIN (%s FOR NO KEY UPDATE SKIP LOCKED) locked ON locked.id = line.id",
                billable.select(SQL.identifier(Line._table, "id")),
            )
            alias, where = "line", SQL("TRUE")
        else:
            # a read: one aggregate over the billable lines, straight from their index
            source, alias, where = billable.from_clause, Line._table, billable.where_clause

        def col(name):
            return SQL.identifier(alias, name)

        rows = self.env.execute_query(
            SQL(
                """
                SELECT %(member)s, %(task)s, %(project)s, %(category)s, %(rate)s, %(plan)s, %(margin)s,
                       SUM(%(hours)s), %(line_ids)s, MIN(%(date)s), MIN(%(id)s)
                  FROM %(source)s
                 WHERE %(where)s
                 GROUP BY 1, 2, 3, 4, 5, 6, 7
                """,
                member=col("coop_membership_id"),
                task=col("task_id"),
                project=col("project_id"),
                category=col("coop_category_id"),
                rate=col("coop_rate"),
                plan=col("coop_plan_id"),
                margin=col("coop_margin"),
                hours=col("coop_billable_hours"),
                date=col("date"),
                id=col("id"),
                source=source,
                where=where,
                # the lines to link to the invoice: only a run that locks them invoices them
                line_ids=SQL("ARRAY_AGG(%s ORDER BY %s)", col("id"), col("id")) if lock else SQL("NULL::int[]"),
            )
        )
        rows.sort(key=lambda row: (row[0], row[9], row[10]))
        result = defaultdict(list)
        index = {}
        Plan = self.env["coop.plan"].sudo()
        for member_id, task_id, project_id, category_id, rate, plan_id, margin, hours, line_ids, day, _fid in rows:
            key = (member_id, task_id, project_id, category_id, rate, plan_id)
            group = index.get(key)
            if group is None:
                group = index[key] = {
                    "task_id": task_id,
                    "project_id": project_id,
                    "category_id": category_id,
                    "rate": rate,
                    "plan": Plan.browse(plan_id),
                    "first_date": day,
                    "hours": 0.0,
                    "margins": defaultdict(float),
                    "line_ids": [],
                }
                result[member_id].append(group)
            group["hours"] += hours
            group["margins"][margin or 0.0] += hours
            group["line_ids"] += line_ids or []
        return result

    def _link_invoice_lines(self, links):
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

    def _send_invoices(self, moves):
        """Send the invoices by e-mail through Odoo's own asynchronous sending
        (``account.move.send``: PDF, e-mail, chatter), after this transaction commits."""
        moves.sending_data = {
            "author_user_id": self.env.user.id,
            "author_partner_id": self.env.user.partner_id.id,
        }
        send_cron = self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)
        if send_cron:
            send_cron.sudo()._trigger()

    def _price_service_invoice(self, membership, groups, expenses, items=None, item_prices=None, rounding=None):
        """The amounts of ``membership``'s service invoice: the one rounding path.

        The invoice issued (``_prepare_invoice_vals``) and the upcoming invoice shown to the
        member and used by the threshold rule (``coop.service.pricing._get_uninvoiced_amounts``)
        are both built from this, so they agree to the cent: one line per group of
        timesheets (hours x group rate), per expense and per extra service, each rounded in
        the currency as Odoo rounds an invoice line, then one margin line per plan and
        margin rate, rounded once on its base (SPEC 6.2).

        Returns ``{"services": [(group, subtotal)], "expenses": [(expense, plan, subtotal)],
        "items": [(item, rate, plan, subtotal)], "margins": [(plan, margin, base, amount)],
        "total": untaxed total}``. ``item_prices``: the items already priced
        (``coop.service.pricing._price_strategy_items``), for many members at once;
        ``rounding``: the rounding of the member's currency, when the caller read it."""
        if rounding:

            def round_(amount):
                return float_round(amount, precision_rounding=rounding)  # = res.currency.round
        else:
            round_ = membership.currency_id.round
        plan_of = self.env["coop.plan"]._coop_plan_on_date_resolver(membership)
        margin_base = defaultdict(float)
        priced = {"services": [], "expenses": [], "items": [], "margins": []}
        for group in groups:
            rate = group["rate"]
            for margin, hours in group["margins"].items():
                margin_base[(group["plan"], margin)] += hours * rate
            priced["services"].append((group, round_(group["hours"] * rate)))
        for expense in expenses:
            plan = plan_of(expense.date)
            if expense.margin:
                margin_base[(plan, expense.margin)] += expense.quantity * expense.price_unit
            priced["expenses"].append((expense, plan, round_(expense.quantity * expense.price_unit)))
        if items:
            if item_prices is None:
                item_prices = membership.env["coop.service.pricing"]._price_strategy_items(items)
            for item in items:
                rate, margin, _amount = item_prices[item]
                plan = plan_of(item.date)
                if margin:
                    margin_base[(plan, margin)] += item.billable_hours * rate
                priced["items"].append((item, rate, plan, round_(item.billable_hours * rate)))
        # one line per plan and margin rate: the management report sums the margin per plan
        for (plan, margin), base in sorted(margin_base.items(), key=lambda kv: (kv[0][1], kv[0][0].id or 0)):
            if margin:
                priced["margins"].append((plan, margin, base, round_(base * margin)))
        subtotals = [entry[-1] for kind in ("services", "expenses", "items", "margins") for entry in priced[kind]]
        priced["total"] = round_(sum(subtotals))
        return priced

    def _income_resolver(self, membership):
        """A function ``(plan, kind) -> invoice line values`` of a service invoice line of
        ``membership``: the plan's service income account, and the plan and kind for the
        management report (accounts cached per plan)."""
        membership.ensure_one()
        accounts = {}

        def income(plan, kind):
            vals = {"coop_line_kind": kind}
            if plan:
                if plan not in accounts:
                    accounts[plan] = plan._coop_get_income_account("service_account_id", membership.company_id)
                vals.update({"coop_plan_id": plan.id, "account_id": accounts[plan].id})
            return vals

        return income

    def _prepare_invoice_vals(self, membership, today, groups, expenses, items=None):
        """Sections: services by task and category (group rate shown), expenses, commercial margin.

        ``groups``: the member's timesheets summed by task, category and group rate (see
        ``_group_billable_timesheets``); ``expenses`` and ``items``: records. The amounts
        are those of ``_price_service_invoice``."""
        env = self.with_context(lang=membership.partner_id.lang or self.env.lang).env  # the member's language
        currency = membership.currency_id
        priced = self._price_service_invoice(membership, groups, expenses, items)
        cmds, sources = [], {}
        sequence = 0
        income = self._income_resolver(membership)  # income account per plan
        sale_tax, fiscal_position = self.env["coop.service.pricing"]._get_service_taxes(membership)
        taxes = [Command.set(sale_tax.ids)]
        # precomputed amounts and tax grids of the service lines: ``account.move`` checks
        # them when it synchronises the invoice (and corrects them if they differ), but
        # it no longer has to write every line a second time
        hints = {}
        if currency == membership.company_id.currency_id:
            base_tags = sale_tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "base").tag_ids
            hints["tax_tag_ids"] = [Command.set(base_tags.ids)]

        def section(name):
            nonlocal sequence
            sequence += 10
            cmds.append(Command.create({"display_type": "line_section", "name": name, "sequence": sequence}))

        def line(vals, subtotal, kind=None, records=None):
            nonlocal sequence
            sequence += 10
            if hints:
                vals = {**vals, **hints, "amount_currency": -subtotal, "balance": -subtotal}
            cmds.append(Command.create({**vals, "sequence": sequence}))
            if records is not None:
                sources[sequence] = (kind, records)

        if priced["services"]:
            section(env._("Services"))
            Task, Project = env["project.task"].sudo(), env["project.project"].sudo()
            Category = env["coop.collaborator.category"].sudo()
            for group, subtotal in priced["services"]:
                task, project = Task.browse(group["task_id"]), Project.browse(group["project_id"])
                category, rate = Category.browse(group["category_id"]), group["rate"]
                product = task.coop_product_id or project.coop_product_id
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
                    subtotal,
                    "timesheet",
                    group["line_ids"],
                )
        if priced["expenses"]:
            section(env._("Expenses"))
            labels = dict(env["coop.expense"]._fields["expense_type"]._description_selection(env))
            for expense, plan, subtotal in priced["expenses"]:
                line(
                    {
                        "name": f"{labels.get(expense.expense_type)}: {expense.name}",
                        "quantity": expense.quantity,
                        "price_unit": expense.price_unit,
                        "tax_ids": taxes,
                        **income(plan, "expense"),
                    },
                    subtotal,
                    "expense",
                    expense,
                )
        if priced["items"]:
            section(env._("Extra services"))
            kinds = dict(items._fields["kind"]._description_selection(env))
            for item, rate, plan, subtotal in priced["items"]:
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
                    subtotal,
                    "strategy",
                    item,
                )
        if priced["margins"]:
            section(env._("Commercial margin"))
            for plan, margin, base, amount in priced["margins"]:
                percent, base_text = f"{margin * 100:g}", format_amount(self.env, currency.round(base), currency)
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
                        "price_unit": amount,
                        "tax_ids": taxes,
                        **income(plan, "margin"),
                    },
                    amount,
                )
        # the upgrade advice (SPEC 3.3) is printed on every invoice by coop_24pm_plans
        return {
            "move_type": "out_invoice",
            "partner_id": membership.partner_id.id,
            "company_id": membership.company_id.id,
            "invoice_date": today,
            "date": today,
            "fiscal_position_id": fiscal_position.id,
            "coop_membership_id": membership.id,
            "coop_is_service_invoice": True,
            "invoice_origin": membership.name,
            "invoice_line_ids": cmds,
        }, sources
