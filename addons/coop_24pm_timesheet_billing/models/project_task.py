import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round, format_amount, format_date, plaintext2html

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches

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
            membership = Project.browse(vals.get("project_id")).coop_membership_id
            if not membership:
                continue
            refusal = membership._coop_request_refusal(None)
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

    @api.depends("coop_estimate_ids.amount", "coop_estimate_ids.hours", "coop_membership_id")
    def _compute_coop_estimate_amount(self):
        Run = self.env["coop.billing.run.line"]
        for task in self:
            membership = task.coop_membership_id
            if not membership or not task.coop_estimate_ids:
                task.coop_estimate_amount = task.coop_estimate_max_amount = 0.0
                continue
            on_date = task.coop_estimate_ids[:1]._coop_estimate_date()
            plan = membership._coop_plan_on_date_resolver()(on_date)
            groups = defaultdict(lambda: {"hours": 0.0, "margins": defaultdict(float)})
            for estimate in task.coop_estimate_ids:
                rate, margin = estimate._coop_rate_and_margin()
                group = groups[(estimate.category_id.id, rate or 0.0)]
                group.update({"rate": rate or 0.0, "plan": plan, "category_id": estimate.category_id.id})
                group["hours"] += estimate.hours
                group["margins"][margin] += estimate.hours
            # the same rounding path as the service invoice (one line per category and rate,
            # one margin line per plan and margin rate)
            total = Run._price_service_invoice(membership, list(groups.values()), [])["total"]
            factor = membership.regulation_id.estimate_max_factor or 3.0
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


class ProjectTaskRequest(models.Model):
    """Work requests of members (art. 5.2; SPEC 5.1): from the portal the member accepts
    the tariff and any RSO explicitly; from the PM it gets a confirmation and the RSO is
    accepted after 5 days without reaction, or at once through the link."""

    _inherit = "project.task"

    coop_request_origin = fields.Selection(
        [("portal", "Portal"), ("pm", "Project Manager")], "Requested through", readonly=True, copy=False
    )
    coop_request_state = fields.Selection(
        [("confirmed", "Confirmed"), ("rso_pending", "Waiting for RSO acceptance"), ("accepted", "Accepted")],
        "Request status",
        readonly=True,
        copy=False,
        tracking=True,
    )
    coop_rso = fields.Text("Specific operating rules (RSO)", help="Rules attached to this extra service (art. 2, 5.2).")
    coop_tariff_accepted_date = fields.Datetime("Tariff accepted on", readonly=True, copy=False)
    coop_rso_accepted_date = fields.Datetime("RSO accepted on", readonly=True, copy=False)
    coop_rso_auto_accept_date = fields.Date("RSO accepted by default on", readonly=True, copy=False)

    @api.model
    def _coop_request_deadline(self, membership, today):
        """The plan's handling delay (15 or 5 days; none for priority or no guarantee)."""
        plan = membership._get_plan_on(today) if hasattr(membership, "_get_plan_on") else False
        days = plan.request_delay_days if plan and "request_delay_days" in plan._fields else 0
        return today + relativedelta(days=days) if days else False

    @api.model
    def _coop_create_request(
        self,
        membership,
        name,
        description=False,
        rso=False,
        origin="portal",
        tariff_accepted=False,
        rso_accepted=False,
        today=None,
        project=None,
    ):
        """A work request in the member's project (``project``, else its first); refused
        without the member's explicit acceptance when it comes from the portal, and when
        the member's state allows no request (SPEC 7.4): nothing is created then."""
        today = today or fields.Date.context_today(self)
        if origin == "portal":
            self.env.user.partner_id._coop_check_projects_right()
        membership._coop_check_may_request(today)
        if not (name or "").strip():
            raise UserError(self.env._("Please describe the work you request."))
        if origin == "portal" and not tariff_accepted:
            raise UserError(self.env._("Please accept the tariff of the requested work."))
        if origin == "portal" and rso and not rso_accepted:
            raise UserError(self.env._("Please accept the specific operating rules (RSO) of this service."))
        project = project or membership.coop_project_ids[:1]
        if not project or project.coop_membership_id != membership:
            raise UserError(
                self.env._(
                    "No project is open for %s yet: please contact your Project Manager.",
                    membership.partner_id.display_name,
                )
            )
        now = fields.Datetime.now()
        deadline = self._coop_request_deadline(membership, today)
        vals = {
            "name": name.strip(),
            "description": description or False,
            "project_id": project.id,
            "coop_request_origin": origin,
            "coop_rso": rso or False,
            "date_deadline": deadline and fields.Datetime.to_datetime(deadline),
            "user_ids": [(6, 0, membership.pm_id.ids)],
        }
        if origin == "portal":
            vals.update(
                coop_request_state="accepted",
                coop_tariff_accepted_date=now,
                coop_rso_accepted_date=now if rso else False,
            )
        elif rso:
            vals.update(
                coop_request_state="rso_pending",
                coop_rso_auto_accept_date=today + relativedelta(days=membership.regulation_id.rso_accept_days),
            )
        else:
            vals.update(coop_request_state="confirmed")
        task = self.sudo().create(vals)
        if origin == "pm":
            task._coop_send_request_confirmation()
        return task

    def _coop_send_request_confirmation(self):
        """The confirmation of a request registered by the PM, to the agents with the
        projects right (SPEC 7.3), in the member's language; with an RSO (art. 5.2) its
        text and the link to accept it on the portal, where it is shown too."""
        for task in self:
            membership = task.project_id.coop_membership_id
            member_env = membership._coop_member_env()
            body = Markup("<p>%s</p>") % member_env._('Your Project Manager registered the request "%s".', task.name)
            if task.coop_rso:
                url = f"{task.get_base_url()}/my/membership/{membership.id}/work#coop-task-{task.id}"
                body += Markup(
                    "<p>%s</p><div class='o_coop_rso' style='padding-left: 8px'>%s</div><p><a href='%s'>%s</a></p>"
                ) % (
                    member_env._(
                        "It comes with these specific operating rules (RSO, art. 5.2), accepted by default on "
                        "%(date)s unless you react:",
                        date=format_date(member_env, task.coop_rso_auto_accept_date),
                    ),
                    plaintext2html(task.coop_rso),
                    url,
                    member_env._("Read and accept the rules on your portal"),
                )
            if task.coop_estimate_amount:
                # art. 4.7: the PM's estimate in amount, in the member's language and format
                currency = task.coop_currency_id
                lang = task.coop_membership_id.partner_id.lang or self.env.lang
                env = self.with_context(lang=lang).env
                body += " " + env._(
                    "Estimate: %(amount)s VAT excluded; it is indicative, the time billed may reach %(max)s "
                    "(art. 4.7).",
                    amount=format_amount(env, task.coop_estimate_amount, currency, lang_code=lang),
                    max=format_amount(env, task.coop_estimate_max_amount, currency, lang_code=lang),
                )
            # SPEC 7.3: requests go to the agents with the projects right
            membership._coop_send_notice("projects", right="projects", record=task, subject=task.name, body=body)

    def action_coop_confirm_pm_request(self):
        """The PM registers a task of a member project as the member's request: the member
        gets the confirmation and, with an RSO, 5 days to react."""
        today = fields.Date.context_today(self)
        for task in self:
            if not task.coop_membership_id or task.coop_request_state:
                raise UserError(self.env._("Only a new task of a member project can be confirmed as a request."))
            task.coop_membership_id._coop_check_may_request(today)
            task.write(
                {
                    "coop_request_origin": "pm",
                    "coop_request_state": "rso_pending" if task.coop_rso else "confirmed",
                    "coop_rso_auto_accept_date": today
                    + relativedelta(days=task.coop_membership_id.regulation_id.rso_accept_days)
                    if task.coop_rso
                    else False,
                    "date_deadline": task.date_deadline
                    or fields.Datetime.to_datetime(self._coop_request_deadline(task.coop_membership_id, today))
                    or False,
                }
            )
        self._coop_send_request_confirmation()

    def action_coop_accept_rso(self):
        self.env.user.partner_id._coop_check_projects_right()
        pending = self.filtered(lambda t: t.coop_request_state == "rso_pending")
        if pending != self:
            raise UserError(self.env._("Only a request waiting for its RSO acceptance can be accepted."))
        pending.write({"coop_request_state": "accepted", "coop_rso_accepted_date": fields.Datetime.now()})

    @api.model
    def _cron_coop_accept_rso(self):
        """Art. 5.2: an RSO is accepted by default 5 days after the PM's confirmation."""
        today = fields.Date.context_today(self)
        tasks = self.search([("coop_request_state", "=", "rso_pending"), ("coop_rso_auto_accept_date", "<=", today)])
        run_in_batches(tasks, lambda task: task.coop_request_state == "rso_pending" and task.action_coop_accept_rso())


class ProjectTaskMission(models.Model):
    """Planned missions (SPEC 5.1; FAQ "Prestations"): a mission planned with the member
    books its collaborators and is billed; when the member cancels it and 24PM can
    reassign the collaborators, the cancellation is not billed. Otherwise the booked
    time is billed like any work: one timesheet line per booked collaborator on the
    mission day, priced by the usual rules (quarter hours, group rate, plan margin)."""

    _inherit = "project.task"

    coop_mission_date = fields.Date("Mission planned on", copy=False, help="Day the collaborators are booked for.")
    coop_mission_employee_ids = fields.Many2many(
        "hr.employee",
        "coop_task_mission_employee_rel",
        "task_id",
        "employee_id",
        "Collaborators booked",
        copy=False,
    )
    coop_mission_hours = fields.Float("Hours booked per collaborator", copy=False)
    coop_mission_state = fields.Selection(
        [
            ("planned", "Planned"),
            ("cancelled_reassigned", "Cancelled, collaborators reassigned (not billed)"),
            ("cancelled_billed", "Cancelled, booked time billed"),
        ],
        "Mission",
        compute="_compute_coop_mission_state",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )

    @api.depends("coop_mission_date", "coop_mission_employee_ids", "coop_mission_hours")
    def _compute_coop_mission_state(self):
        for task in self:
            if not task.coop_mission_state or task.coop_mission_state == "planned":
                planned = task.coop_mission_date and task.coop_mission_employee_ids and task.coop_mission_hours > 0
                task.coop_mission_state = "planned" if planned else False

    def action_coop_cancel_mission_reassigned(self):
        return self._coop_cancel_mission(reassigned=True)

    def action_coop_cancel_mission_billed(self):
        return self._coop_cancel_mission(reassigned=False)

    def _coop_cancel_mission(self, reassigned):
        """Cancel planned missions at the member's request. ``reassigned``: 24PM could
        give the booked collaborators other work, so nothing is billed; otherwise the
        booked hours of each collaborator are billed (timesheet lines on the mission
        day). Returns the timesheet lines created (empty when reassigned)."""
        lines = self.env["account.analytic.line"]
        for task in self:
            if not task.coop_membership_id:
                raise UserError(self.env._("Task %s is not work of a member.", task.display_name))
            if task.coop_mission_state != "planned":
                raise UserError(
                    self.env._(
                        "Task %s is not a planned mission (day, booked collaborators and hours), "
                        "or it was already cancelled.",
                        task.display_name,
                    )
                )
        for task in self:
            if reassigned:
                task.write({"coop_mission_state": "cancelled_reassigned", "state": "1_canceled"})
                task.message_post(
                    body=self.env._(
                        "Mission of %(date)s cancelled by the member; the collaborators were reassigned: "
                        "the cancellation is not billed.",
                        date=task.coop_mission_date,
                    )
                )
                continue
            task_lines = (
                self.env["account.analytic.line"]
                .sudo()
                .create(
                    [
                        {
                            "name": self.env._(
                                "Cancelled mission of %(date)s: %(employee)s booked, not reassigned",
                                date=task.coop_mission_date,
                                employee=employee.name,
                            ),
                            "employee_id": employee.id,
                            "project_id": task.project_id.id,
                            "task_id": task.id,
                            "unit_amount": task.coop_mission_hours,
                            "date": task.coop_mission_date,
                        }
                        for employee in task.coop_mission_employee_ids
                    ]
                )
            )
            task.write({"coop_mission_state": "cancelled_billed", "state": "1_canceled"})
            task.message_post(
                body=self.env._(
                    "Mission of %(date)s cancelled by the member; the collaborators could not be reassigned: "
                    "the booked time is billed (%(amount)s).",
                    date=task.coop_mission_date,
                    amount=format_amount(
                        self.env, sum(task_lines.mapped("coop_amount")), task.coop_membership_id.currency_id
                    ),
                )
            )
            lines |= task_lines
        return lines
