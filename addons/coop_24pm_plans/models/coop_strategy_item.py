from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CoopStrategyItem(models.Model):
    """Strategic follow-up recorded against a member (SPEC 3.1): meetings, study reports
    and extra follow-up time. What the plan does not include is left as billable
    strategist hours for ``coop_24pm_timesheet_billing``, which invoices
    ``billable_hours`` at the strategist rate and links ``invoice_line_id`` (then
    ``billed`` is true and the item is locked)."""

    _name = "coop.strategy.item"
    _description = "Strategic follow-up"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    membership_id = fields.Many2one("coop.membership", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    kind = fields.Selection(
        [
            ("meeting", "Strategic meeting"),
            ("study_report", "Strategic study report"),
            ("extra", "Extra follow-up time"),
        ],
        required=True,
        default="meeting",
        tracking=True,
    )
    hours = fields.Float("Duration (h)", tracking=True)
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users", "Strategist", default=lambda self: self.env.user, domain=[("share", "=", False)]
    )
    plan_id = fields.Many2one("coop.plan", compute="_compute_billing", store=True)
    is_included = fields.Boolean("Included in the plan", compute="_compute_billing", store=True)
    billable_hours = fields.Float(
        "Strategist hours to bill",
        compute="_compute_billing",
        store=True,
        help="Billed at the strategist rate by the service billing.",
    )
    product_id = fields.Many2one(
        "product.product",
        default=lambda self: self.env.ref("coop_24pm_plans.product_strategist_hour", raise_if_not_found=False),
    )
    invoice_line_id = fields.Many2one("account.move.line", readonly=True, copy=False, index="btree_not_null")
    billed = fields.Boolean(compute="_compute_billed", store=True)

    @api.depends("invoice_line_id")
    def _compute_billed(self):
        for item in self:
            item.billed = bool(item.invoice_line_id)

    @api.model
    def _quota_period(self, plan, on_date):
        """The month or quarter over which the plan's meeting quota runs."""
        if plan.meeting_period == "quarter":
            start = on_date.replace(day=1, month=(on_date.month - 1) // 3 * 3 + 1)
            return start, start + relativedelta(months=3, days=-1)
        start = on_date.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.depends("date", "kind", "hours", "membership_id")
    def _compute_billing(self):
        """Meetings within the quota are included up to the plan's maximum duration; beyond
        the quota they are billed in full. Study reports beyond the free ones of the
        calendar year are billed as the plan's hours (10 h of strategist). Extra time is
        always billed."""
        for item in self:
            if item.billed or not item.membership_id or not item.date:
                continue
            plan = item.membership_id._get_plan_on(item.date)
            item.plan_id = plan
            included, billable = False, item.hours
            earlier = item.membership_id.strategy_item_ids.filtered(
                lambda i, it=item: i.kind == it.kind and i.id != it.id and it.id and (i.date, i.id) < (it.date, it.id)
            )
            if item.kind == "meeting":
                start, end = self._quota_period(plan, item.date)
                used = len(earlier.filtered(lambda i, s=start, e=end: s <= i.date <= e))
                if plan.meetings_unlimited:
                    included, billable = True, 0.0
                elif used < plan.meeting_quota:
                    included = True
                    billable = max(item.hours - plan.meeting_max_hours, 0.0) if plan.meeting_max_hours else 0.0
            elif item.kind == "study_report":
                done = len(earlier.filtered(lambda i, y=item.date.year: i.date.year == y))
                included = done < plan.free_study_reports
                billable = 0.0 if included else plan.study_report_hours
            item.is_included = included
            item.billable_hours = billable

    @api.constrains("hours")
    def _check_hours(self):
        for item in self:
            if item.hours < 0:
                raise ValidationError(self.env._("A duration cannot be negative."))

    def write(self, vals):
        if self.filtered("billed") and set(vals) & {"date", "kind", "hours", "membership_id"}:
            raise UserError(self.env._("This follow-up is already invoiced: it cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self.filtered("billed"):
            raise UserError(self.env._("This follow-up is already invoiced: it cannot be deleted."))
        return super().unlink()

    @api.model
    def _get_billable(self, memberships=None):
        """Items with strategist hours left to invoice (for the service billing)."""
        domain = [("billable_hours", ">", 0), ("invoice_line_id", "=", False)]
        if memberships is not None:
            domain.append(("membership_id", "in", memberships.ids))
        return self.search(domain)
