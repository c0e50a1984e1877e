from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CoopPlan(models.Model):
    """A support plan of a regulation (SPEC 3.1, art. 4.2). The shipped plans are data;
    staff may add plans and change their parameters."""

    _name = "coop.plan"
    _description = "Support plan"
    _order = "regulation_id, rank, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code, e.g. basic_2023.")
    active = fields.Boolean(default=True)
    regulation_id = fields.Many2one("coop.regulation", required=True, index=True, ondelete="restrict")
    rank = fields.Integer(
        required=True, default=10, help="Simple < Basic < Standard < Partner: a higher rank is an upgrade."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)
    monthly_fee = fields.Monetary(
        "Default monthly contribution", help="Written on new contracts; each contract keeps its own amount."
    )
    margin = fields.Float("Commercial margin", digits=(5, 4), help="Surcharge on the group rate: 0.38 for 38 %.")
    request_delay_days = fields.Integer("Requests handled within (days)", help="0 with no planning guarantee.")
    request_handling = fields.Selection(
        [
            ("none", "No planning guarantee"),
            ("delay", "Within the delay"),
            ("priority", "Priority"),
            ("agreement", "Per agreement"),
        ],
        default="delay",
        required=True,
    )
    meeting_quota = fields.Integer("Strategic meetings included", help="Per quota period; 0 = none included.")
    meeting_period = fields.Selection(
        [("month", "Per month"), ("quarter", "Per quarter")], default="month", required=True
    )
    meeting_max_hours = fields.Float("Maximum meeting duration (h)", help="0 = no limit. Time beyond is billed.")
    meetings_unlimited = fields.Boolean(
        "Strategic follow-up included without limit", help="Strategic council or follow-up per agreement."
    )
    has_shared_services = fields.Boolean("Shared services")
    free_study_reports = fields.Integer("Free strategic study reports per year")
    study_report_hours = fields.Float("Strategist hours billed per study report", default=10.0)
    trial_months = fields.Integer("Trial (months)", help="Partenaire 2021: 6 months.")
    trial_fallback_plan_id = fields.Many2one(
        "coop.plan",
        "Plan after the trial",
        help="The member moves to this plan the day after the trial unless 24PM took equity in its company.",
    )
    product_id = fields.Many2one(
        "product.product", "Invoicing product", required=True, ondelete="restrict", domain=[("type", "=", "service")]
    )
    description = fields.Html(translate=True)
    note = fields.Text("Other conditions", translate=True)

    _code_uniq = models.Constraint("UNIQUE(code, company_id)", "A plan code must be unique.")
    _margin_range = models.Constraint("CHECK(margin >= 0 AND margin < 10)", "The margin is a fraction, e.g. 0.38.")

    @api.constrains("monthly_fee", "meeting_quota", "trial_months")
    def _check_positive(self):
        for plan in self:
            if plan.monthly_fee < 0 or plan.meeting_quota < 0 or plan.trial_months < 0:
                raise ValidationError(
                    self.env._("The fee, the meeting quota and the trial of %s cannot be negative.", plan.name)
                )

    @api.depends("name", "regulation_id")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = f"{plan.name} ({plan.regulation_id.name})" if plan.regulation_id else plan.name

    def _get_higher_plans(self):
        """Plans of the same regulation with a higher rank (SPEC 3.2: ranks)."""
        self.ensure_one()
        return self.search(
            [
                ("regulation_id", "=", self.regulation_id.id),
                ("rank", ">", self.rank),
                ("company_id", "in", [False, self.company_id.id]),
            ]
        )
