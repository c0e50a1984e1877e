from odoo import api, fields, models
from odoo.exceptions import UserError

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
    coop_estimate_warned = fields.Boolean("PM warned: estimate exceeded", copy=False, readonly=True)

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

    def action_coop_set_budget(self, hours, today=None):
        """SPEC 5.1: an increase applies to the current period at once, a decrease from the next."""
        self.ensure_one()
        if not self.coop_budget_period:
            raise UserError(self.env._("Task %s is not a recurring task with a budget.", self.display_name))
        if hours < 0:
            raise UserError(self.env._("A budget cannot be negative."))
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
