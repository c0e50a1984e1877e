from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .coop_billing_rules import billable_amount


class CoopTaskEstimate(models.Model):
    """Art. 4.7: the PM's estimate of a task by collaborator category, in hours and in
    amount (hours x group rate x (1 + the plan's margin)), priced as the service
    invoice prices time (``coop.billing.run.line._price_service_invoice``). The task's
    estimate in hours (``allocated_hours``, behind the warning and the 3x block) is the
    sum of its lines."""

    _name = "coop.task.estimate"
    _description = "Task estimate by collaborator category"
    _order = "task_id, sequence, id"

    task_id = fields.Many2one("project.task", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    membership_id = fields.Many2one(related="task_id.coop_membership_id")
    company_id = fields.Many2one(related="task_id.company_id")
    currency_id = fields.Many2one(related="task_id.coop_currency_id")
    category_id = fields.Many2one("coop.collaborator.category", "Collaborator category", required=True)
    is_external = fields.Boolean(related="category_id.is_external")
    hours = fields.Float(required=True)
    purchase_price = fields.Monetary(
        "Purchase price (hour)", help="Subcontractors and interims (art. 8.3.1): billed at purchase price + margin."
    )
    date = fields.Date(
        "Estimated on",
        default=fields.Date.context_today,
        copy=False,
        help="Art. 4.7: the day the estimate was given (or last changed); it is priced at the rates and plan "
        "of that day, the amount the member accepted.",
    )
    rate = fields.Monetary("Group rate", compute="_compute_amount")
    margin = fields.Float("Commercial margin", compute="_compute_amount", digits=(5, 4))
    amount = fields.Monetary("Estimated amount", compute="_compute_amount")

    @api.depends(
        "date", "hours", "category_id", "purchase_price", "task_id.coop_product_id", "task_id.coop_membership_id"
    )
    def _compute_amount(self):
        for estimate in self:
            rate, margin = estimate._coop_rate_and_margin()
            estimate.rate = rate or 0.0
            estimate.margin = margin
            estimate.amount = billable_amount(
                estimate.hours, rate or 0.0, margin, estimate.currency_id.rounding or 0.01
            )

    def _coop_estimate_date(self):
        """Estimates price planned work at the group rates and plan of the day they were
        given (today for an estimate being entered)."""
        self.ensure_one()
        return self.date or fields.Date.context_today(self)

    def _coop_rate_and_margin(self):
        """(group rate or purchase price, plan margin) of this line today, for the task's
        member (its old rate while a new one's notice runs); rate None when the service has
        no group rate for the category."""
        self.ensure_one()
        membership = self.task_id.coop_membership_id
        on_date = self._coop_estimate_date()
        margin = membership._get_plan_margin(on_date) or 0.0 if membership else 0.0
        if self.category_id.is_external:
            return self.purchase_price, margin
        product = self.task_id.coop_product_id
        Rate = self.env["coop.group.rate"].sudo()
        table, _suspended, holds = Rate._get_pricing_tables(product, self.category_id, membership)
        # SPEC 7.3: a member keeps the old rate until 15 days after its notice of a new one
        # was delivered: its estimate is priced as its time of today is
        rate_date = self.env["coop.rate.change.member"]._coop_rate_date(
            holds, membership, product, self.category_id, on_date
        )
        return Rate._lookup(table, product, self.category_id, rate_date), margin

    @api.constrains("hours", "category_id", "purchase_price", "task_id")
    def _check_art_4_7(self):
        """Art. 4.7: an estimate is a positive time of a category the service is priced for."""
        for estimate in self:
            if float_compare(estimate.hours, 0.0, precision_digits=2) <= 0:
                raise ValidationError(self.env._("Art. 4.7: the hours of an estimate must be positive."))
            if not estimate.task_id.coop_membership_id:
                raise ValidationError(self.env._("Art. 4.7: only the task of a member's project has an estimate."))
            if estimate.category_id.is_external:
                if float_compare(estimate.purchase_price, 0.0, precision_digits=2) <= 0:
                    raise ValidationError(
                        self.env._(
                            "Art. 4.7: give the purchase price of the %s for the estimate.", estimate.category_id.name
                        )
                    )
            elif estimate._coop_rate_and_margin()[0] is None:
                raise ValidationError(
                    self.env._(
                        "Art. 4.7: no group rate of %(service)s for %(category)s: the estimate cannot be priced.",
                        service=estimate.task_id.coop_product_id.display_name or "-",
                        category=estimate.category_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        estimates = super().create(vals_list)
        estimates.task_id._coop_sync_allocated_hours()
        return estimates

    def write(self, vals):
        if {"hours", "category_id", "purchase_price"} & vals.keys() and "date" not in vals:
            # an estimate changed is given again: priced at the rates and plan of today
            vals = {**vals, "date": fields.Date.context_today(self)}
        tasks = self.task_id
        res = super().write(vals)
        (tasks | self.task_id)._coop_sync_allocated_hours()
        return res

    def unlink(self):
        tasks = self.task_id
        res = super().unlink()
        tasks.exists()._coop_sync_allocated_hours()
        return res
