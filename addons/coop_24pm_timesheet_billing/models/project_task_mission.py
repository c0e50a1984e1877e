from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class ProjectTaskMission(models.Model):
    """Planned missions (SPEC 5.1; FAQ "Prestations"): a mission planned with the member
    books its collaborators and is billed; when the member cancels it and 24PM can
    reassign the collaborators, the cancellation is not billed. Otherwise the booked
    time is billed like any work: one timesheet line per booked collaborator on the
    mission day, priced by the usual rules (quarter hours, group rate, plan margin)."""

    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

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
