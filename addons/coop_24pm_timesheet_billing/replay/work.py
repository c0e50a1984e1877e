"""Work in the replayed year (issue 18): staff open a project for each new member; the
junior, medior and senior collaborators log their time on it day by day, as themselves
(``hr_timesheet``); the billing run's scheduled job invoices it."""

from datetime import timedelta

from odoo import Command

# (collaborator category, name, group rate per hour without margin)
WORKERS = [
    ("junior", "Lucas Janssens", 45.0),
    ("medior", "Emma Dubois", 60.0),
    ("senior", "Thomas Peeters", 80.0),
]
PROJECT_AFTER_JOIN = 5  # days: staff open the member's project once the mandate is confirmed
NO_WORK = {4}  # the member terminated for fault (replay/fault.py) has no work of its own
TASKS = ["Website", "Accounting", "Communication"]


class WorkScenes:
    def _setup(self):
        res = super()._setup()
        env = self.env
        self.service = env.ref("coop_24pm_timesheet_billing.product_coop_service_work")
        # staff open the members' projects
        self.staff.sudo().group_ids = [Command.link(env.ref("project.group_project_manager").id)]
        Rate = env["coop.group.rate"].sudo()
        self.workers = env["hr.employee"].sudo()
        for key, name, rate in WORKERS:
            category = env.ref(f"coop_24pm_timesheet_billing.category_{key}")
            if not Rate.search_count(
                [
                    ("product_id", "=", self.service.id),
                    ("category_id", "=", category.id),
                    ("date_from", "<=", self.start),
                ]
            ):
                Rate.create(
                    {
                        "product_id": self.service.id,
                        "category_id": category.id,
                        "rate": rate,
                        "date_from": self.start.replace(month=1, day=1),
                    }
                )
            employee = self._collaborator(f"replay.{key}@24pm.be", name, {"coop_category_id": category.id})
            self.workers |= employee
        self.timesheets = env["account.analytic.line"]
        return res

    def _collaborator(self, login, name, employee_vals):
        """A collaborator of 24PM who logs time: its user (internal, timesheets) and employee,
        created once by the cooperative's administrator (found again in a database that has them)."""
        env = self.env
        company = env.company
        Users = env["res.users"].sudo().with_context(no_reset_password=True)
        Employee = env["hr.employee"].sudo()
        user = Users.search([("login", "=", login)]) or Users.create(
            {
                "name": f"{name} (replay)",
                "login": login,
                "email": login,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [
                    Command.link(env.ref("base.group_user").id),
                    Command.link(env.ref("hr_timesheet.group_hr_timesheet_user").id),
                ],
            }
        )
        return Employee.search([("user_id", "=", user.id), ("company_id", "=", company.id)]) or Employee.create(
            {"name": user.name, "user_id": user.id, "company_id": company.id, **employee_vals}
        )

    def _plan(self):
        res = super()._plan()
        for index, profile in enumerate(self.members):
            if index in NO_WORK:
                continue  # no work of its own: its figures are computed by hand
            self.schedule(profile["join_day"] + timedelta(days=PROJECT_AFTER_JOIN), self._scene_open_project, profile)
        return res

    def _morning(self):
        res = super()._morning()
        if self.today.weekday() >= 5:
            return res
        for profile in self.members:
            if profile.get("notice_end") and self.today > profile["notice_end"]:
                profile["work_stopped"] = True  # the contract has ended: no more work for it
            if profile.get("project") and not profile.get("work_stopped"):
                self._scene_log_work(profile)
        return res

    # ------------------------------------------------------------------
    # scenes
    # ------------------------------------------------------------------
    def _scene_open_project(self, profile):
        """Staff open the member's work project (service product, timesheets allowed) and its tasks."""
        membership = profile.get("membership")
        if not membership or membership.state != "active":
            return
        Project = self.env["project.project"].with_user(self.staff)
        project = self.attempt(
            "open project",
            lambda: Project.create(
                {
                    "name": f"{membership.partner_id.name} - work",
                    "coop_membership_id": membership.id,
                    "coop_product_id": self.service.id,
                    "allow_timesheets": True,
                    "company_id": membership.company_id.id,
                }
            ),
        )
        if not project:
            return
        tasks = (
            self.env["project.task"]
            .with_user(self.staff)
            .create([{"name": name, "project_id": project.id} for name in TASKS])
        )
        profile.update(project=project, tasks=tasks)
        self.note("work", f"project {project.name} opened")

    def _work_suspended(self, profile, task):
        """Whether the member's service on ``task`` is suspended (the scenes that suspend one say so)."""
        return False

    def _scene_log_work(self, profile):
        """Some days a collaborator works for the member: a quarter-hour multiple or not
        (the suite rounds), logged as the collaborator."""
        for worker in self.workers:
            if self.rng.random() > 0.1:
                continue
            minutes = self.rng.choice([20, 45, 60, 90, 120, 150, 240])
            task = self.rng.choice(profile["tasks"])
            if self._work_suspended(profile, task):
                continue  # the collaborator knows the service is suspended (drawn all the same)
            AnalyticLine = self.env["account.analytic.line"].with_user(worker.user_id)
            line = self.attempt(
                "log work",
                lambda AnalyticLine=AnalyticLine, task=task, minutes=minutes, worker=worker: AnalyticLine.create(
                    {
                        "name": f"{task.name}: work",
                        "project_id": task.project_id.id,
                        "task_id": task.id,
                        "employee_id": worker.id,
                        "unit_amount": minutes / 60.0,
                        "date": self.today,
                    }
                ),
            )
            if line:
                self.timesheets |= line
