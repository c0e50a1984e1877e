from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_datetime


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
    event_id = fields.Many2one("calendar.event", "Meeting", readonly=True, copy=False, ondelete="set null")
    booked_by_id = fields.Many2one("res.users", "Booked by", readonly=True, copy=False)
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

    @api.model
    def _coop_items_of(self, membership):
        """The strategic follow-up of ``membership`` (its list: the member's smart button)."""
        return self.search([("membership_id", "=", membership.id)]) if membership else self.browse()

    @api.model
    def _get_meeting_quota_status(self, membership, on_date=None):
        """Meetings included in the member's plan for the quota period of ``on_date``,
        used and left."""
        membership.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        plan = membership._get_plan_on(on_date)
        start, end = self._quota_period(plan, on_date)
        used = len(self._coop_items_of(membership).filtered(lambda i: i.kind == "meeting" and start <= i.date <= end))
        quota = plan.meeting_quota
        return {
            "plan": plan,
            "unlimited": plan.meetings_unlimited,
            "quota": quota,
            "used": used,
            "left": max(quota - used, 0),
            "date_from": start,
            "date_to": end,
        }

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
            earlier = self._coop_items_of(item.membership_id).filtered(lambda i, it=item: it._coop_is_before(i))
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

    def _coop_is_before(self, other):
        """Does ``other`` count before this item in the plan's quota? For an item not saved
        yet (a quote), every saved item of its kind up to its date does."""
        self.ensure_one()
        if other.kind != self.kind or other == self or not isinstance(other.id, int):
            return False
        if not isinstance(self.id, int):
            return other.date <= self.date
        return (other.date, other.id) < (self.date, self.id)

    @api.constrains("hours")
    def _check_hours(self):
        for item in self:
            if item.hours < 0:
                raise ValidationError(self.env._("A duration cannot be negative."))

    def write(self, vals):
        if self.filtered("billed") and set(vals) & {"date", "kind", "hours", "membership_id"}:
            raise UserError(self.env._("This follow-up is already invoiced: it cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("billed"):
            raise UserError(self.env._("This follow-up is already invoiced: it cannot be deleted."))

    # ------------------------------------------------------------------
    # booking from the portal (issue 16)
    # ------------------------------------------------------------------
    @api.model
    def _coop_strategist(self, membership):
        """Who attends the strategic follow-up the member books: the strategist of its
        subscription, else its Account Manager, else its Project Manager."""
        membership.ensure_one()
        strategist = membership.contract_id.sudo().coop_strategist_id.with_env(membership.env)
        return strategist or membership._coop_responsible_user(membership.env.ref("base.user_admin"), prefer="am")

    @api.model
    def _coop_strategy_event(self, membership, title, start, hours, topic):
        """The calendar event of a booked follow-up: the member's projects agents and its
        strategist attend."""
        membership.ensure_one()
        strategist = self._coop_strategist(membership)
        agents = membership.partner_id._coop_recipients("projects").filtered("user_ids")
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": f"{title} - {membership.partner_id.name}",
                    "start": start,
                    "stop": start + relativedelta(minutes=round(hours * 60)),
                    "user_id": strategist.id,
                    "partner_ids": [Command.set((agents | strategist.partner_id).ids)],
                    "description": topic,
                    "privacy": "confidential",
                }
            )
        )

    @api.model
    def _coop_bookable_kinds(self, plan):
        """What a member may book itself: meetings, a strategic diagnosis (a ``coop.offer``),
        and study reports under a plan of 2023 (free ones for Partner 2023, else billed as
        the plan's hours)."""
        kinds = ["meeting", "diagnosis"]
        if plan.study_reports_on_request:
            kinds.append("study_report")
        return kinds

    @api.model
    def _coop_quote(self, membership, kind, on_date, hours):
        """What booking ``kind`` on ``on_date`` would cost the member: a new item priced by
        the plan's quota as a booked one would be (``_compute_billing``), not saved."""
        item = self.new({"membership_id": membership.id, "kind": kind, "date": on_date, "hours": hours})
        item._compute_billing()
        amount = 0.0
        if item.billable_hours:
            Pricing = membership.env["coop.service.pricing"]
            amount = Pricing._price_strategist_hours(membership, item.billable_hours, on_date)
        return {"included": item.is_included, "billable_hours": item.billable_hours, "amount": amount}

    @api.model
    def _coop_book(self, membership, kind, start, hours, topic, price_accepted=False, director=None):
        """The member's agent books a strategic meeting or study report (SPEC 3.1): a
        ``calendar.event`` with the member's agents (projects right) and its strategist,
        counted against the plan's quota; what exceeds the quota is billed at the
        strategist rate and must be accepted before booking."""
        membership = membership.sudo()
        membership.lock_for_update()  # one booking of a member at a time: the quota counts each once
        membership._coop_check_portal_action("request")
        on_date = fields.Date.context_today(self, start)
        today = fields.Date.context_today(self)
        if on_date < today:
            raise UserError(self.env._("Choose a date from today on."))
        plan = membership._get_plan_on(on_date)
        if kind not in self._coop_bookable_kinds(plan):
            raise UserError(self.env._("Your plan does not offer this follow-up to book from the portal."))
        if self._coop_items_of(membership).filtered(lambda i: i.event_id.start == start):
            raise UserError(
                self.env._("Something is already booked at %s.", format_datetime(self.env, start, dt_format="short"))
            )
        if kind == "diagnosis":
            return self.env["coop.offer"]._coop_book_diagnosis(membership, start, topic, director, price_accepted)
        quote = self._coop_quote(membership, kind, on_date, hours)
        if quote["billable_hours"] and not price_accepted:
            raise UserError(
                self.env._(
                    "This goes beyond what your plan includes: %(hours)s strategist hours are billed, %(amount)s "
                    "(VAT excluded). Accept the price to book it.",
                    hours=quote["billable_hours"],
                    amount=format_amount(self.env, quote["amount"], membership.currency_id),
                )
            )
        strategist = self._coop_strategist(membership)
        kind_label = dict(self._fields["kind"]._description_selection(self.env))[kind]
        event = self._coop_strategy_event(membership, kind_label, start, hours, topic)
        item = self.sudo().create(
            {
                "membership_id": membership.id,
                "kind": kind,
                "date": on_date,
                "hours": hours,
                "description": topic,
                "user_id": strategist.id,
                "event_id": event.id,
                "booked_by_id": self.env.user.id,
            }
        )
        if kind == "study_report":
            strategist_env = membership._coop_user_env(strategist)
            membership.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=on_date,
                user_id=strategist.id,
                summary=strategist_env._("Prepare the strategic study report"),
                note=topic,
            )
        member_env = membership._coop_member_env()
        when = format_datetime(member_env, start, tz=self.env.user.tz or "Europe/Brussels", dt_format="short")
        body = member_env._(
            "%(what)s booked for %(when)s (%(hours)s h) with %(strategist)s.",
            what=dict(self._fields["kind"]._description_selection(member_env))[kind],
            when=when,
            hours=hours,
            strategist=strategist.name,
        )
        if item.billable_hours:
            body += " " + member_env._(
                "Beyond your plan: %(hours)s strategist hours billed, %(amount)s (VAT excluded).",
                hours=item.billable_hours,
                amount=format_amount(member_env, quote["amount"], membership.currency_id),
            )
        membership._coop_send_notice(
            "projects", right="projects", subject=member_env._("Strategic follow-up booked"), body=body
        )
        return item

    @api.model
    def _get_billable(self, memberships=None):
        """Items with strategist hours left to invoice (for the service billing)."""
        domain = [("billable_hours", ">", 0), ("invoice_line_id", "=", False)]
        if memberships is not None:
            domain.append(("membership_id", "in", memberships.ids))
        return self.search(domain)
