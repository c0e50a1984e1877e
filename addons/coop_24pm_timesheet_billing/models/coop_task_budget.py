from odoo import fields, models


class CoopTaskBudget(models.Model):
    """One budget of a recurring task, in force from ``date_from`` (SPEC 5.1)."""

    _name = "coop.task.budget"
    _description = "Recurring task budget"
    _order = "task_id, date_from desc, id desc"

    task_id = fields.Many2one("project.task", required=True, index=True, ondelete="cascade")
    date_from = fields.Date("In force from", required=True)
    hours = fields.Float("Hours per period", required=True)
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)

    _hours_positive = models.Constraint("CHECK(hours >= 0)", "A budget cannot be negative.")
