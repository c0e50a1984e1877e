from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare, format_date

from .coop_billing_rules import next_period_start, period_start, round_up_quarter_hour, split_budget

#: what the price of a line is computed from (``_coop_get_prices``)
PRICING_INPUTS = {"unit_amount", "date", "task_id", "project_id", "employee_id"}
#: the price of a line, written by ``_timesheet_postprocess_values`` with what it depends on
PRICING_FIELDS = (
    "coop_category_id",
    "coop_rounded_hours",
    "coop_billable_hours",
    "coop_beyond_budget_hours",
    "coop_rate",
    "coop_margin",
    "coop_amount",
    "coop_plan_id",
)
#: changing these on an invoiced line would change what the member was billed: its
#: price and what the price is computed from
LOCKED_FIELDS = PRICING_INPUTS.union(PRICING_FIELDS)


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    coop_membership_id = fields.Many2one(related="project_id.coop_membership_id", store=True, string="Membership")
    coop_category_id = fields.Many2one("coop.collaborator.category", "Collaborator category", readonly=True, copy=False)
    coop_rounded_hours = fields.Float(
        "Hours rounded",
        readonly=True,
        copy=False,
        help="Real duration rounded up to the next quarter hour (art. 2).",
    )
    coop_billable_hours = fields.Float("Billable hours", readonly=True, copy=False)
    coop_beyond_budget_hours = fields.Float(
        "Hours beyond budget",
        readonly=True,
        copy=False,
        help="Time of a recurring task beyond its budget: kept and shown, not billed (SPEC 5.1).",
    )
    coop_rate = fields.Monetary(
        "Group rate",
        readonly=True,
        copy=False,
        help="Group rate of the category, or purchase price of a subcontractor.",
    )
    coop_margin = fields.Float(
        "Commercial margin",
        readonly=True,
        copy=False,
        digits=(5, 4),
        help="Margin of the member's plan in force on the date of the work.",
    )
    coop_amount = fields.Monetary("Billable amount", readonly=True, copy=False)
    coop_plan_id = fields.Many2one(
        "coop.plan",
        "Plan",
        readonly=True,
        copy=False,
        help="The member's plan in force on the date of the work: its margin, its income account.",
    )
    coop_invoice_line_id = fields.Many2one(
        "account.move.line", "Invoice line", copy=False, readonly=True, index="btree_not_null", ondelete="set null"
    )
    coop_invoice_id = fields.Many2one(related="coop_invoice_line_id.move_id", string="Service invoice")
    coop_is_package = fields.Boolean(
        "Fixed-price package",
        compute="_compute_coop_is_package",
        store=True,
        help="Time on a fixed-price package (art. 8.4): logged for cost and margin, never billed by the "
        "billing run; the package is invoiced on its milestones.",
    )
    coop_state_override_reason = fields.Char(
        "Why logged despite the member's state",
        copy=False,
        help="SPEC 7.4: time on the projects of a suspended member is refused unless a manager records why.",
    )

    _coop_uninvoiced_idx = models.Index(
        "(coop_membership_id, date) WHERE coop_invoice_line_id IS NULL AND coop_membership_id IS NOT NULL"
    )

    @api.depends(
        "task_id.sale_line_id.qty_delivered_method",
        "project_id.sale_line_id.qty_delivered_method",
    )
    def _compute_coop_is_package(self):
        for line in self:
            line.coop_is_package = (line.task_id.sale_line_id or line.project_id.sale_line_id)._coop_is_package()

    def _coop_get_prices(self):
        """Art. 2, 6.2: the price of these lines, ``{line id: values of PRICING_FIELDS}``:
        the real duration rounded up to the quarter hour, the hours within the budget of a
        recurring task (SPEC 5.1), the group rate of the collaborator's category on the
        date of the work (or the purchase price of a subcontractor) and the margin of the
        member's plan in force on that date. Invoiced lines are left out: they keep what was
        billed (``_check_can_write``). Time of no member is not priced."""
        lines = self.filtered(lambda rec: not rec.coop_invoice_line_id)
        member_lines = lines.filtered(lambda rec: rec.project_id and rec.coop_membership_id)
        unpriced = {fname: False if self._fields[fname].type == "many2one" else 0.0 for fname in PRICING_FIELDS}
        prices = {line.id: dict(unpriced) for line in lines - member_lines}
        if not member_lines:
            return prices
        products = member_lines.mapped(lambda rec: rec.task_id.coop_product_id or rec.project_id.coop_product_id)
        categories = member_lines.employee_id.coop_category_id
        # the rates, the services suspended by an objection and the old rates members keep
        # until their notice of a new rate is delivered (art. 5.3, SPEC 7.3), in one query
        table, suspended, holds = self.env["coop.group.rate"]._get_pricing_tables(
            products, categories, member_lines.coop_membership_id
        )
        RateMember = self.env["coop.rate.change.member"]
        Rate = self.env["coop.group.rate"]
        used = self._coop_budget_used(member_lines)
        margins, plans, resolvers = {}, {}, {}
        for line in member_lines.sorted(lambda rec: (rec.date, rec.id)):
            employee = line.employee_id
            category = employee.coop_category_id
            if not category:
                raise UserError(
                    self.env._("%s has no collaborator category: time for a member cannot be priced.", employee.name)
                )
            product = line.task_id.coop_product_id or line.project_id.coop_product_id
            suspension = Rate._coop_suspension(suspended, line.coop_membership_id, product, category, line.date)
            if suspension == "objection":
                raise UserError(
                    self.env._(
                        "%(member)s objected to the new rate of %(service)s for %(category)s: "
                        "these services are suspended (art. 5.3).",
                        member=line.coop_membership_id.partner_id.name,
                        service=product.display_name,
                        category=category.name,
                    )
                )
            if suspension == "contest":
                line._coop_check_contest_override(product)
            if category.is_external:
                rate = employee.coop_purchase_price
            else:
                # SPEC 7.3: the old rate until 15 days after the member's notice was delivered
                on_date = RateMember._coop_rate_date(holds, line.coop_membership_id, product, category, line.date)
                rate = self.env["coop.group.rate"]._lookup(table, product, category, on_date)
                if rate is None:
                    raise UserError(
                        self.env._(
                            "No group rate for the service %(service)s and the category %(category)s on %(date)s.",
                            service=product.display_name or "-",
                            category=category.name,
                            date=line.date,
                        )
                    )
            membership = line.coop_membership_id
            key = (membership.id, line.date)
            if key not in margins:
                margins[key] = membership._get_plan_margin(line.date) or 0.0
                if membership.id not in resolvers:
                    resolvers[membership.id] = self.env["coop.plan"]._coop_plan_on_date_resolver(membership)
                plans[key] = resolvers[membership.id](line.date).id
            rounded = round_up_quarter_hour(line.unit_amount)
            billable, beyond = rounded, 0.0
            task = line.task_id
            if task.coop_budget_period:
                budget = task._coop_get_budget(line.date)
                if budget is not None:
                    pkey = (task.id, period_start(line.date, task.coop_budget_period))
                    billable, beyond = split_budget(used[pkey], rounded, budget)
                    used[pkey] += billable
            prices[line.id] = {
                "coop_category_id": category.id,
                "coop_rounded_hours": rounded,
                "coop_billable_hours": billable,
                "coop_beyond_budget_hours": beyond,
                "coop_rate": rate,
                "coop_margin": margins[key],
                "coop_amount": line.currency_id.round(billable * rate * (1.0 + margins[key])),
                "coop_plan_id": plans[key],
            }
        return prices

    def _coop_check_contest_override(self, product):
        """Art. 11.1: the member contests the new regulation, the services it concerns are
        suspended (SPEC 7.4): time on them is refused unless a manager records why (as for a
        suspended member's time, ``_coop_check_work_allowed``)."""
        self.ensure_one()
        refusal = self.env._(
            "%(member)s contests the new regulation: its services %(service)s are suspended until the contest "
            "ends (art. 11.1).",
            member=self.coop_membership_id.partner_id.name,
            service=product.display_name,
        )
        if not (self.coop_state_override_reason or "").strip():
            raise UserError(refusal)
        if not (self.env.su or self.env.user.has_group("coop_24pm_membership.group_coop_manager")):
            raise UserError(self.env._("%s Only a manager of the cooperative may log it, with the reason.", refusal))

    def _coop_reprice(self):
        """Price again the uninvoiced time (its rate's period, its service or its member changed)."""
        for line_id, prices in self.sudo()._coop_get_prices().items():
            self.sudo().browse(line_id).write(prices)

    def _timesheet_postprocess_values(self, values):
        """hr_timesheet's hook after a create or write: the price follows what it depends on."""
        result = super()._timesheet_postprocess_values(values)
        if PRICING_INPUTS.intersection(values):
            for line_id, prices in self._coop_get_prices().items():
                result[line_id].update(prices)
        return result

    @api.model
    def _coop_budget_used(self, lines):
        """Billable hours already used, per (recurring task, period), by lines other than ``lines``."""
        used = defaultdict(float)
        recurring = lines.filtered(lambda rec: rec.task_id.coop_budget_period)
        if not recurring:
            return used
        periods = {(rec.task_id, period_start(rec.date, rec.task_id.coop_budget_period)) for rec in recurring}
        ids = [i for i in lines.ids if isinstance(i, int)]
        # one query for every task and period: the hours per task and day, summed per period
        wanted = {(task.id, start) for task, start in periods}
        domain = (
            Domain("task_id", "in", list({task.id for task, _start in periods}))
            & Domain("date", ">=", min(start for _task, start in periods))
            & Domain("date", "<", max(next_period_start(start, task.coop_budget_period) for task, start in periods))
        )
        if ids:
            domain &= Domain("id", "not in", ids)
        for task, day, hours in self.sudo()._read_group(domain, ["task_id", "date:day"], ["coop_billable_hours:sum"]):
            key = (task.id, period_start(fields.Date.to_date(day), task.coop_budget_period))
            if key in wanted:
                used[key] += hours or 0.0
        return used

    # ------------------------------------------------------------------
    # estimates (SPEC 5.1) and the lock of invoiced lines
    # ------------------------------------------------------------------
    def _coop_check_estimates(self):
        """Warn the PM past the estimate; refuse beyond N x the estimate (art. 5.2: 3x)."""
        tasks = self.task_id.filtered(lambda t: t.coop_membership_id and t.allocated_hours > 0)
        if not tasks:
            return
        totals = dict(self.sudo()._read_group([("task_id", "in", tasks.ids)], ["task_id"], ["coop_rounded_hours:sum"]))
        for task in tasks:
            logged = totals.get(task, 0.0)
            # the member's regulation: a collaborator logging time may not read it itself
            factor = task.sudo().coop_membership_id.regulation_id.estimate_max_factor
            if float_compare(logged, task.allocated_hours * factor, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._(
                        "Task %(task)s: %(logged)s h would be logged for an estimate of %(estimate)s h. "
                        "The time billed may not exceed %(factor)s times the estimate; revise the estimate "
                        "with the member first.",
                        task=task.display_name,
                        logged=logged,
                        estimate=task.allocated_hours,
                        factor=factor,
                    )
                )
            if float_compare(logged, task.allocated_hours, precision_digits=2) > 0 and not task.coop_estimate_warned:
                task.sudo().coop_estimate_warned = True
                pm = task.coop_membership_id.pm_id or task.user_ids[:1] or self.env.user
                pm_env = task._coop_user_env(pm)
                task.sudo().activity_schedule(
                    "mail.mail_activity_data_warning",
                    user_id=pm.id,
                    summary=pm_env._("Estimate exceeded"),
                    note=pm_env._(
                        "%(logged)s h logged for an estimate of %(estimate)s h.",
                        logged=logged,
                        estimate=task.allocated_hours,
                    ),
                )

    # ------------------------------------------------------------------
    # SPEC 7.4: time on a member's projects follows the membership's state
    # ------------------------------------------------------------------
    #: a change of these fields is new time on a member's project
    WORK_FIELDS = {"unit_amount", "date", "project_id", "task_id", "employee_id"}

    def _check_can_create(self):
        res = super()._check_can_create()
        self._coop_check_member_state()
        return res

    def _check_can_write(self, values):
        """An invoiced line keeps what the member was billed: neither its time nor its price
        changes (the billing itself links and releases lines, ``coop_billing_internal``)."""
        if LOCKED_FIELDS.intersection(values) and not self.env.context.get("coop_billing_internal"):
            invoiced = self.filtered("coop_invoice_line_id")
            if invoiced:
                raise UserError(
                    self.env._(
                        "These timesheet lines are on a service invoice and can no longer be changed: %s",
                        ", ".join(invoiced.coop_invoice_id.mapped("name")),
                    )
                )
        res = super()._check_can_write(values)
        if self.WORK_FIELDS.intersection(values) and not self.env.context.get("coop_billing_internal"):
            # the time as it is and as it will be
            self._coop_check_member_state()
            project = self.env["project.project"].sudo().browse(values.get("project_id"))
            task = self.env["project.task"].sudo().browse(values.get("task_id"))
            for line in self:
                membership = (project or task.project_id or line.project_id).sudo().coop_membership_id
                line._coop_check_work_allowed(
                    membership, values.get("date") or line.date, values.get("coop_state_override_reason")
                )
        return res

    def _coop_check_member_state(self):
        for line in self:
            line._coop_check_work_allowed(line.sudo().coop_membership_id, line.date, line.coop_state_override_reason)

    def _coop_check_work_allowed(self, membership, on_date, override_reason, record=True):
        """Refuse time the member's state does not allow; a manager's recorded reason
        overrides it, and the membership's chatter keeps it (``record``)."""
        if not membership:
            return
        refusal = membership._coop_work_refusal(on_date)
        if not refusal:
            return
        if not (override_reason or "").strip():
            raise UserError(refusal)
        if not self.env.user.has_group("coop_24pm_membership.group_coop_manager"):
            raise UserError(self.env._("%s Only a manager of the cooperative may log it, with the reason.", refusal))
        if not record:
            return
        membership.message_post(
            body=self.env._(
                "Time logged on %(date)s despite the state of the membership, by %(user)s: %(reason)s",
                date=format_date(self.env, fields.Date.to_date(on_date)),
                user=self.env.user.name,
                reason=override_reason,
            ),
            subtype_xmlid="mail.mt_note",
        )

    @api.model_create_multi
    def create(self, vals_list):
        # SPEC 7.4: refuse before anything is written (_check_can_create checks it again)
        today = fields.Date.context_today(self)
        for vals in vals_list:
            project = self.env["project.project"].sudo().browse(vals.get("project_id"))
            if not project and vals.get("task_id"):
                project = self.env["project.task"].sudo().browse(vals["task_id"]).project_id
            self._coop_check_work_allowed(
                project.coop_membership_id,
                vals.get("date") or today,
                vals.get("coop_state_override_reason"),
                record=False,
            )
        # hr_timesheet prices the time (``_timesheet_postprocess_values``): a missing rate or
        # category refuses the entry; the analytic lines of a posted invoice are not time
        lines = super().create(vals_list)
        timesheets = lines.filtered("project_id")
        if timesheets:
            timesheets._coop_check_estimates()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if PRICING_INPUTS.intersection(vals):
            # time taken off its project is no one's time: hr_timesheet's hook no longer prices it
            detached = self.filtered(lambda rec: not rec.project_id and rec.coop_category_id)
            for line_id, prices in detached._coop_get_prices().items():
                self.sudo().browse(line_id).write(prices)
        if {"unit_amount", "task_id", "date"}.intersection(vals):
            self._coop_check_estimates()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_coop_invoiced(self):
        if self.filtered("coop_invoice_line_id"):
            raise UserError(self.env._("Invoiced timesheet lines cannot be deleted."))

    @api.model
    def _coop_billable_domain(self, memberships=None):
        domain = (
            Domain("coop_invoice_line_id", "=", False)
            & Domain("coop_amount", ">", 0)
            # art. 8.4: a fixed-price package is invoiced on its milestones, never from its time
            & Domain("coop_is_package", "=", False)
            & self.env["coop.service.pricing"]._coop_billable_service_domain("coop_membership_id", "date")
        )
        if memberships is not None:
            return domain & Domain("coop_membership_id", "in", memberships.ids)
        return domain & Domain("coop_membership_id", "!=", False)
