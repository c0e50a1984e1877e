import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from .coop_billing_rules import budget_change_date, next_period_start, period_start


class ProjectTask(models.Model):
    _inherit = "project.task"

    coop_membership_id = fields.Many2one(related="project_id.coop_membership_id", store=True, index="btree_not_null")
    coop_product_id = fields.Many2one(
        "product.product",
        "Service",
        compute="_compute_coop_product_id",
        store=True,
        readonly=False,
        domain=[("type", "=", "service")],
        help="Decides the group rate of the time logged on this task.",
    )
    # recurring tasks (SPEC 5.1)
    coop_budget_period = fields.Selection(
        [("day", "Per day"), ("week", "Per week"), ("month", "Per month")],
        "Recurring budget",
        help="Recurring task: time beyond the budget of its period is kept but not billed.",
    )
    coop_budget_ids = fields.One2many("coop.task.budget", "task_id", "Budgets")
    coop_budget_hours = fields.Float("Budget of the current period", compute="_compute_coop_budget_hours")
    coop_next_budget_hours = fields.Float("Budget of the next period", compute="_compute_coop_budget_hours")
    coop_budget_request_hours = fields.Float(
        "New budget (hours per period)",
        copy=False,
        help="Applied with the button: at once if higher, next period if lower.",
    )
    coop_state_override_reason = fields.Char(
        "Why created despite the member's state",
        copy=False,
        help="SPEC 7.4: no new task for a suspended or ended member unless a manager records why.",
    )
    coop_estimate_warned = fields.Boolean("PM warned: estimate exceeded", copy=False, readonly=True)
    coop_currency_id = fields.Many2one(related="coop_membership_id.currency_id", string="Member currency")
    coop_estimate_ids = fields.One2many("coop.task.estimate", "task_id", "Estimate by category", copy=True)
    coop_estimate_amount = fields.Monetary(
        "Estimated amount",
        currency_field="coop_currency_id",
        compute="_compute_coop_estimate_amount",
        help="Art. 4.7: hours x group rate of each category x (1 + the plan's margin), VAT excluded, "
        "rounded as the service invoice.",
    )
    coop_estimate_max_amount = fields.Monetary(
        "Billed at most",
        currency_field="coop_currency_id",
        compute="_compute_coop_estimate_amount",
        help="Art. 4.7: the time billed may reach the regulation's factor (3x) times the estimate.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """SPEC 7.4 "requests and new work": no new task in the projects of a member whose
        state allows none (suspended, terminated, an application, notice past its end),
        unless a manager of the cooperative records why (as for time, account.analytic.line)."""
        Project = self.env["project.project"].sudo()
        overrides = []
        for vals in vals_list:
            project = Project.browse(vals.get("project_id"))
            membership = project.coop_membership_id
            if not membership:
                continue
            refusal = membership._coop_request_refusal(None) or self._coop_contest_refusal(
                membership, self.env["product.product"].browse(vals.get("coop_product_id")) or project.coop_product_id
            )
            if not refusal:
                continue
            reason = (vals.get("coop_state_override_reason") or "").strip()
            if not reason:
                raise UserError(refusal)
            if not self.env.user.has_group("coop_24pm_membership.group_coop_manager"):
                raise UserError(
                    self.env._("%s Only a manager of the cooperative may create it, with the reason.", refusal)
                )
            overrides.append((membership, vals.get("name"), reason))
        tasks = super().create(vals_list)
        for membership, name, reason in overrides:
            membership.message_post(
                body=self.env._(
                    "Task %(task)s created despite the state of the membership, by %(user)s: %(reason)s",
                    task=name,
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return tasks

    @api.model
    def _coop_contest_refusal(self, membership, product):
        """Art. 11.1: no new work on the services a contested new regulation concerns."""
        if not product:
            return False
        Rate = self.env["coop.group.rate"]
        suspended = Rate._get_pricing_tables(product.browse(), self.env["coop.collaborator.category"], membership)[1]
        if Rate._coop_suspension(suspended, membership, product, None, fields.Date.context_today(self)) != "contest":
            return False
        return self.env._(
            "%(member)s contests the new regulation: its services %(service)s are suspended until the contest "
            "ends (art. 11.1).",
            member=membership.partner_id.name,
            service=product.display_name,
        )

    def write(self, vals):
        res = super().write(vals)
        if "coop_product_id" in vals:
            # the group rate of the uninvoiced time follows the task's service
            self.sudo().timesheet_ids.filtered(lambda line: not line.coop_invoice_line_id)._coop_reprice()
        return res

    @api.depends("coop_estimate_ids.amount", "coop_estimate_ids.hours", "coop_estimate_ids.date", "coop_membership_id")
    def _compute_coop_estimate_amount(self):
        Run = self.env["coop.billing.run.line"]
        for task in self:
            membership = task.coop_membership_id
            if not membership or not task.coop_estimate_ids:
                task.coop_estimate_amount = task.coop_estimate_max_amount = 0.0
                continue
            plan_on = self.env["coop.plan"]._coop_plan_on_date_resolver(membership)
            groups = defaultdict(lambda: {"hours": 0.0, "margins": defaultdict(float)})
            for estimate in task.coop_estimate_ids:
                rate, margin = estimate._coop_rate_and_margin()
                group = groups[(estimate.category_id.id, rate or 0.0)]
                plan = group.get("plan") or plan_on(estimate._coop_estimate_date())
                group.update({"rate": rate or 0.0, "plan": plan, "category_id": estimate.category_id.id})
                group["hours"] += estimate.hours
                group["margins"][margin] += estimate.hours
            # the same rounding path as the service invoice (one line per category and rate,
            # one margin line per plan and margin rate)
            total = Run._price_service_invoice(membership, list(groups.values()), [])["total"]
            factor = membership.regulation_id.estimate_max_factor
            task.coop_estimate_amount = total
            task.coop_estimate_max_amount = membership.currency_id.round(total * factor)

    def _coop_sync_allocated_hours(self):
        """The estimate in hours behind the warning and the 3x block (art. 4.7) is the sum
        of the estimate's lines."""
        for task in self.filtered("coop_estimate_ids"):
            hours = float_round(sum(task.coop_estimate_ids.mapped("hours")), precision_digits=2)
            if float_compare(task.allocated_hours, hours, precision_digits=2):
                task.allocated_hours = hours

    @api.depends("project_id.coop_product_id")
    def _compute_coop_product_id(self):
        for task in self:
            if not task.coop_product_id:
                task.coop_product_id = task.project_id.coop_product_id

    @api.depends("coop_budget_ids.hours", "coop_budget_ids.date_from", "coop_budget_period")
    def _compute_coop_budget_hours(self):
        today = fields.Date.context_today(self)
        for task in self:
            if not task.coop_budget_period:
                task.coop_budget_hours = task.coop_next_budget_hours = 0.0
                continue
            task.coop_budget_hours = task._coop_get_budget(today) or 0.0
            next_start = next_period_start(today, task.coop_budget_period)
            task.coop_next_budget_hours = task._coop_get_budget(next_start) or 0.0

    def _coop_get_budget(self, on_date):
        """Hours budgeted for the period holding ``on_date``; None when no budget is set."""
        self.ensure_one()
        start = period_start(on_date, self.coop_budget_period)
        budgets = self.coop_budget_ids.filtered(lambda b: b.date_from <= start).sorted(
            lambda b: (b.date_from, b.id), reverse=True
        )
        return budgets[:1].hours if budgets else None

    def action_coop_apply_budget(self):
        for task in self:
            task.action_coop_set_budget(task.coop_budget_request_hours)
            task.coop_budget_request_hours = 0.0

    def action_coop_set_budget(self, hours, today=None):
        """SPEC 5.1: an increase applies to the current period at once, a decrease from the next."""
        self.ensure_one()
        self.env.user.partner_id._coop_check_projects_right()
        if not self.coop_budget_period:
            raise UserError(self.env._("Task %s is not a recurring task with a budget.", self.display_name))
        if not math.isfinite(hours) or hours < 0:
            raise UserError(self.env._("A budget is a number of hours, zero or more."))
        today = today or fields.Date.context_today(self)
        current = self._coop_get_budget(today)
        date_from = budget_change_date(today, self.coop_budget_period, current, hours)
        # a later change replaces a pending one for the same period
        self.coop_budget_ids.filtered(lambda b: b.date_from >= date_from).unlink()
        budget = self.env["coop.task.budget"].create({"task_id": self.id, "date_from": date_from, "hours": hours})
        self.message_post(
            body=self.env._("Budget set to %(hours)s h per period from %(date)s.", hours=hours, date=date_from)
        )
        return budget
