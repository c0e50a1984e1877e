"""More work in the replayed year (issue 18, session 12): a subcontractor, expenses,
estimates, a recurring budget, and a dispute still open when the debit is presented.

* **A subcontractor** (category ``subcontractor``, billed at its purchase price plus the
  member's plan margin, art. 8.3.1) logs time day by day on the first member's project, as
  itself; the billing run's job invoices it.
* **Expenses** (art. 5.7, 5.6): staff enter travel, copies, a material and a storage medium
  for the second member as the backend form creates them, and the month's data storage
  passed on at cost (ROI 2023); the billing run re-invoices them on the service invoice.
* **Estimates** (art. 4.7, 5.2): the fourth member's agent requests work on the portal (the
  route's function as the portal user); staff estimate it by collaborator category; the
  work is logged and invoiced. Staff register a second request with specific operating
  rules (RSO) and an estimate; the agent accepts the rules on the portal.
* **A recurring budget** (SPEC 5.1): staff open a weekly maintenance task on the third
  member's project; its agent sets the budget on the portal, raises it (at once), lowers it
  (from the next week); the time beyond the budget is kept, not billed.
* **A dispute still open at the presentation date** (art. 6.3): the first member's agent
  disputes a third of a contribution the day after its date; staff answer after the debit
  job's presentation date. What the debit job presents, and what becomes of the disputed
  part after the answer, is the suite's (observed, listed in the report).

Nothing is drawn from ``self.rng``: the other members' random work is unchanged."""

from datetime import timedelta

SUBCONTRACT_MEMBER = 0
SUBCONTRACTOR = ("Atelier Claes", 70.0)  # name, hourly purchase price (art. 8.3.1)
SUBCONTRACT_DAYS = 15  # working days: the subcontractor logs SUBCONTRACT_MINUTES each
SUBCONTRACT_MINUTES = 70  # rounded up to 1.25 h (art. 2)
SUBCONTRACT_TASK = "Développement sous-traité"

EXPENSE_MEMBER = 1
EXPENSE_DAY = 40  # days after the year's start: staff enter the expenses
# (type, description, quantity, purchase price)
EXPENSES = [
    ("km", "Déplacement chez le membre (aller-retour, 120 km)", 120.0, 0.0),
    ("page", "Copies du rapport annuel", 25.0, 0.0),
    ("material", "Disque SSD pour le serveur du membre", 1.0, 250.0),
    ("storage_media", "Support d'archivage (3 mois)", 3.0, 180.0),
]
STORAGE_COST = 12.40  # ROI 2023 art. 5.6: the month's storage of the member's data, at cost

ESTIMATE_MEMBER = 3
ESTIMATE_DAY = 45  # days after the year's start: the agent requests work on the portal
REQUEST_NAME = "Nouveau formulaire de contact"
# category code: estimated hours; the work logged: [(category code, days after the estimate, hours)]
REQUEST_ESTIMATE = {"senior": 4.0, "medior": 6.0}
REQUEST_WORK = [("senior", 1, 2.0), ("medior", 1, 1.5), ("medior", 2, 1.5), ("senior", 3, 2.0), ("medior", 3, 1.5)]
REQUEST_WORK += [("medior", 4, 1.5)]
RSO_TASK = "Hébergement du site"
RSO_TEXT = "Sauvegarde quotidienne, restauration sur demande sous 24 heures ouvrables."
RSO_ESTIMATE = {"junior": 3.0}
RSO_WORK = [("junior", 3, 3.0)]  # days after the agent accepted the rules

BUDGET_MEMBER = 2
BUDGET_FROM = 30  # days after the year's start: the first Monday from then
BUDGET_TASK = "Maintenance hebdomadaire"
BUDGET_WEEKS = 8
# (week from the first Monday, hours a week set by the agent that Monday)
BUDGET_CHANGES = [(0, 2.0), (3, 4.0), (6, 1.0)]
BUDGET_LOG = {0: 1.5, 3: 1.5}  # weekday: hours the medior logs on the task

LATE_DISPUTE_MEMBER = 0
LATE_DISPUTE_AFTER = 75  # days: the first contribution invoiced after this is disputed
LATE_ANSWER_AFTER = 12  # days after the invoice: after the debit's presentation date (10 days at most)
LATE_DISPUTE_SUBJECT = "Nous contestons un tiers de cette cotisation : le service a été interrompu dix jours."
LATE_DISPUTE_ANSWER = "L'interruption était une maintenance annoncée (art. 5.1) : la contestation est rejetée."


class Work2Scenes:
    def _setup(self):
        res = super()._setup()
        env = self.env
        name, price = SUBCONTRACTOR
        self.subcontractor = self._collaborator(
            "replay.subcontractor@24pm.be",
            name,
            {
                "coop_category_id": env.ref("coop_24pm_timesheet_billing.category_subcontractor").id,
                "coop_purchase_price": price,
            },
        )
        self.expenses = env["coop.expense"]
        return res

    def _plan(self):
        res = super()._plan()
        if len(self.members) > EXPENSE_MEMBER:
            self.schedule(
                self.start + timedelta(days=EXPENSE_DAY), self._scene_enter_expenses, self.members[EXPENSE_MEMBER]
            )
        if len(self.members) > ESTIMATE_MEMBER:
            self.schedule(
                self.start + timedelta(days=ESTIMATE_DAY), self._scene_request_work, self.members[ESTIMATE_MEMBER]
            )
        if len(self.members) > BUDGET_MEMBER:
            first = self.start + timedelta(days=BUDGET_FROM)
            monday = first + timedelta(days=(7 - first.weekday()) % 7)
            profile = self.members[BUDGET_MEMBER]
            profile["budget_monday"] = monday
            self.schedule(monday, self._scene_open_recurring_task, profile)
            for week, hours in BUDGET_CHANGES:
                self.schedule(monday + timedelta(weeks=week), self._scene_set_budget, profile, hours)
        return res

    def _worker(self, code):
        return self.workers.filtered(lambda worker: worker.coop_category_id.code == code)

    def _log(self, profile, task, employee, hours, scene="log work"):
        """``hours`` logged by ``employee`` on ``task``, as the collaborator (its own user)."""
        AnalyticLine = self.env["account.analytic.line"].with_user(employee.user_id)
        line = self.attempt(
            scene,
            lambda: AnalyticLine.create(
                {
                    "name": f"{task.name}: travail",
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "employee_id": employee.id,
                    "unit_amount": hours,
                    "date": self.today,
                }
            ),
        )
        if line:
            self.timesheets |= line
            profile.setdefault("work2_lines", self.env["account.analytic.line"])
            profile["work2_lines"] |= line
        return line

    def _morning(self):
        res = super()._morning()
        if len(self.members) > LATE_DISPUTE_MEMBER and not self.members[LATE_DISPUTE_MEMBER].get("late_dispute"):
            self._scene_dispute_open_at_presentation(self.members[LATE_DISPUTE_MEMBER])
        if self.today.weekday() >= 5:
            return res
        if len(self.members) > SUBCONTRACT_MEMBER:
            self._scene_subcontractor_logs(self.members[SUBCONTRACT_MEMBER])
        if len(self.members) > BUDGET_MEMBER:
            self._scene_log_recurring(self.members[BUDGET_MEMBER])
        return res

    # ------------------------------------------------------------------
    # a subcontractor
    # ------------------------------------------------------------------
    def _scene_subcontractor_logs(self, profile):
        """Each working day, while its engagement lasts, the subcontractor logs its time on
        the member's project (a task staff open for it the first day)."""
        if not profile.get("project") or len(profile.get("subcontract_lines", ())) >= SUBCONTRACT_DAYS:
            return
        task = profile.get("subcontract_task")
        if not task:
            task = self.attempt(
                "open subcontracted task",
                lambda: self.env["project.task"]
                .with_user(self.staff)
                .create({"name": SUBCONTRACT_TASK, "project_id": profile["project"].id}),
            )
            if not task:
                return
            profile["subcontract_task"] = task
            self.note("work", f"{profile['project'].name}: {SUBCONTRACTOR[0]} subcontracted")
        line = self._log(profile, task, self.subcontractor, SUBCONTRACT_MINUTES / 60.0, "subcontractor logs")
        if line:
            profile["subcontract_lines"] = profile.get("subcontract_lines", self.env["account.analytic.line"]) | line

    # ------------------------------------------------------------------
    # expenses
    # ------------------------------------------------------------------
    def _scene_enter_expenses(self, profile):
        """Staff enter the member's expenses in the backend (Expenses menu, one form each),
        and the month's data storage at cost (ROI 2023 art. 5.6)."""
        membership = profile.get("membership")
        if not membership:
            return
        Expense = self.env["coop.expense"].with_user(self.staff)
        for kind, name, quantity, cost in EXPENSES:
            expense = self.attempt(
                "enter expense",
                lambda kind=kind, name=name, quantity=quantity, cost=cost: Expense.create(
                    {
                        "membership_id": membership.id,
                        "expense_type": kind,
                        "name": name,
                        "quantity": quantity,
                        "unit_cost": cost,
                        "date": self.today,
                    }
                ),
            )
            if expense:
                self.expenses |= expense
        month = (self.today.replace(day=1) - timedelta(days=1)).replace(day=1)
        storage = self.attempt(
            "data storage at cost",
            lambda: Expense._coop_create_data_storage_at_cost(month, {membership: STORAGE_COST}),
        )
        if storage:
            self.expenses |= storage
        profile["expenses"] = self.expenses.filtered(lambda e: e.membership_id == membership)
        self.note(
            "expenses",
            f"{membership.partner_id.name}: {len(profile['expenses'])} expenses entered, "
            f"{self.money(sum(profile['expenses'].mapped('amount')))} billable",
        )

    # ------------------------------------------------------------------
    # estimates
    # ------------------------------------------------------------------
    def _scene_request_work(self, profile):
        """The agent requests work on /my/membership/<id>/work (the route's function as the
        portal user, the tariff accepted); staff estimate it two days later."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user or not profile.get("project"):
            return
        membership_sudo = membership.with_user(user).sudo()
        Task = self.env["project.task"].with_user(user)
        task = self.attempt(
            "request work",
            lambda: Task._coop_create_request(
                membership_sudo,
                REQUEST_NAME,
                description="Un formulaire de contact avec accusé de réception.",
                origin="portal",
                tariff_accepted=True,
                project=user.partner_id._coop_allowed_projects(
                    self.env["project.project"].with_user(user).sudo()._coop_projects_of(membership_sudo)
                )[:1],
            ),
        )
        if task:
            profile["request_task"] = task.with_env(self.env)
            self.note("estimate", f"{membership.partner_id.name}: work requested on the portal, {task.name}")
            self.schedule(self.today + timedelta(days=2), self._scene_estimate_request, profile)

    def _scene_estimate(self, task, estimate):
        Estimate = self.env["coop.task.estimate"].with_user(self.staff)
        return self.attempt(
            "estimate",
            lambda: Estimate.create(
                [
                    {"task_id": task.id, "category_id": self._worker(code).coop_category_id.id, "hours": hours}
                    for code, hours in estimate.items()
                ]
            ),
        )

    def _scene_estimate_request(self, profile):
        """Staff estimate the request by category (art. 4.7), then register a second request
        with its specific operating rules and estimate (the PM's path, art. 5.2)."""
        task = profile["request_task"]
        if self._scene_estimate(task, REQUEST_ESTIMATE):
            self.note("estimate", f"{task.name} estimated at {self.money(task.sudo().coop_estimate_amount)}")
            for code, after, hours in REQUEST_WORK:
                self.schedule(self.today + timedelta(days=after), self._log, profile, task, self._worker(code), hours)
        Task = self.env["project.task"].with_user(self.staff)
        rso_task = self.attempt(
            "register request",
            lambda: Task.create({"name": RSO_TASK, "project_id": task.project_id.id, "coop_rso": RSO_TEXT}),
        )
        if not rso_task or not self._scene_estimate(rso_task, RSO_ESTIMATE):
            return
        if self.attempt("confirm request", lambda: rso_task.action_coop_confirm_pm_request() or True):
            profile["rso_task"] = rso_task
            self.note(
                "estimate",
                f"{rso_task.name}: registered by the PM with its rules, estimated "
                f"{self.money(rso_task.sudo().coop_estimate_amount)}",
            )
            self.schedule(self.today + timedelta(days=1), self._scene_accept_rso, profile)

    def _scene_accept_rso(self, profile):
        """The agent reads the rules and the estimate, accepts them on the portal (the route's call)."""
        user, task = profile["user"], profile["rso_task"]
        if self.attempt("accept RSO", lambda: task.with_user(user).sudo().action_coop_accept_rso() or True):
            self.note("estimate", f"{task.name}: rules accepted on the portal")
            for code, after, hours in RSO_WORK:
                self.schedule(self.today + timedelta(days=after), self._log, profile, task, self._worker(code), hours)

    # ------------------------------------------------------------------
    # a recurring budget
    # ------------------------------------------------------------------
    def _scene_open_recurring_task(self, profile):
        """Staff open a weekly recurring task on the member's project (SPEC 5.1)."""
        if not profile.get("project"):
            return
        task = self.attempt(
            "open recurring task",
            lambda: self.env["project.task"]
            .with_user(self.staff)
            .create({"name": BUDGET_TASK, "project_id": profile["project"].id, "coop_budget_period": "week"}),
        )
        if task:
            profile["budget_task"] = task
            self.note("budget", f"{profile['project'].name}: recurring task {task.name} opened")

    def _scene_set_budget(self, profile, hours):
        """The agent sets the task's weekly budget on the portal (the route's call, in sudo as the agent)."""
        task, user = profile.get("budget_task"), profile.get("user")
        if not task or not user:
            return
        if self.attempt("set budget", lambda: task.with_user(user).sudo().action_coop_set_budget(hours) or True):
            self.note("budget", f"{task.name}: budget set to {hours:g} h a week")

    def _scene_log_recurring(self, profile):
        task, monday = profile.get("budget_task"), profile.get("budget_monday")
        if not task or not monday or self.today >= monday + timedelta(weeks=BUDGET_WEEKS):
            return
        hours = BUDGET_LOG.get(self.today.weekday())
        if hours:
            line = self._log(profile, task, self._worker("medior"), hours, "log recurring")
            if line:
                profile["budget_lines"] = profile.get("budget_lines", self.env["account.analytic.line"]) | line

    # ------------------------------------------------------------------
    # a dispute still open at the debit's presentation date
    # ------------------------------------------------------------------
    def _scene_dispute_open_at_presentation(self, profile):
        """The agent disputes a third of yesterday's contribution (the record the portal's
        dispute route creates); staff answer after the debit's presentation date."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user or self.today < self.start + timedelta(days=LATE_DISPUTE_AFTER):
            return
        invoice, dispute = self._dispute_yesterdays_contribution(
            profile, "dispute open at presentation", LATE_DISPUTE_SUBJECT
        )
        if dispute:
            profile["late_dispute"] = dispute
            self.schedule(
                invoice.invoice_date + timedelta(days=LATE_ANSWER_AFTER), self._scene_answer_late_dispute, profile
            )

    def _scene_answer_late_dispute(self, profile):
        """Staff reject the dispute with reasons, after the presentation date."""
        dispute = profile["late_dispute"]
        invoice = dispute.sudo().invoice_id
        debits = self.env["account.payment.line"].sudo().search([("move_line_id.move_id", "=", invoice.id)])
        profile["late_dispute_debits_before"] = [
            (line.order_id.name, line.date, line.amount_currency) for line in debits
        ]
        if self.attempt(
            "answer late dispute", lambda: dispute.with_user(self.staff).action_reject(LATE_DISPUTE_ANSWER)
        ):
            self.note(
                "dispute",
                f"{invoice.partner_id.name}: dispute of {invoice.name} (due {invoice.invoice_date_due}) rejected "
                f"after its presentation; debited so far {profile['late_dispute_debits_before']}; the invoice is "
                f"{invoice.payment_state}, {self.money(invoice.amount_residual)} open",
            )
