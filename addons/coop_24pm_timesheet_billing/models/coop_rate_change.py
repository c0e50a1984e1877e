from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_amount, format_date


class CoopRateChange(models.Model):
    """Art. 5.3: a new group rate is notified to the members; the old rate applies for
    15 more days; a member who objects has the services concerned suspended."""

    _name = "coop.rate.change"
    _description = "Group rate change"
    _inherit = ["mail.thread", "coop.pricing.source.mixin"]
    _order = "date_notified desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    product_id = fields.Many2one("product.product", "Service", required=True, domain=[("type", "=", "service")])
    category_id = fields.Many2one("coop.collaborator.category", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    new_rate = fields.Monetary("New hourly group rate", required=True)
    reason = fields.Text(help="Continuing training, market prices... (shown to the members).")
    state = fields.Selection(
        [("draft", "Draft"), ("notified", "Notified")], default="draft", required=True, readonly=True, tracking=True
    )
    date_notified = fields.Date(readonly=True, copy=False)
    date_effective = fields.Date("Applies from", readonly=True, copy=False)
    objection_ids = fields.One2many("coop.rate.objection", "change_id", "Objections")
    member_ids = fields.One2many("coop.rate.change.member", "change_id", "Members notified", readonly=True)

    @api.depends("product_id", "category_id", "new_rate")
    def _compute_name(self):
        for change in self:
            rate = format_amount(self.env, change.new_rate, change.currency_id) if change.currency_id else ""
            change.name = f"{change.product_id.display_name or ''} / {change.category_id.name or ''}: {rate}"

    def action_notify(self, today=None):
        """Notify the members and schedule the new rate after the notice (the regulation's
        ``rate_change_notice_days``, 15).

        The group rate changes on ``date_effective`` (that many days from today); each member
        keeps the old rate until that many days after its own notice was delivered
        (``coop.rate.change.member``, SPEC 7.3)."""
        today = today or fields.Date.context_today(self)
        Rate = self.env["coop.group.rate"]
        for change in self:
            if change.state != "draft":
                raise UserError(self.env._("Only a draft rate change can be notified."))
            regulation = self.env["coop.regulation"]._get_current(today)
            if not regulation:
                raise UserError(
                    self.env._(
                        "No regulation is in force on %s: its notice period of a rate change is needed.",
                        format_date(self.env, today),
                    )
                )
            effective = today + relativedelta(days=regulation.rate_change_notice_days)
            current = Rate.search(
                [
                    ("product_id", "=", change.product_id.id),
                    ("category_id", "=", change.category_id.id),
                    ("company_id", "=", change.company_id.id),
                    ("date_from", "<", effective),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", effective),
                ]
            )
            current.write({"date_to": effective - relativedelta(days=1)})
            Rate.create(
                {
                    "product_id": change.product_id.id,
                    "category_id": change.category_id.id,
                    "company_id": change.company_id.id,
                    "rate": change.new_rate,
                    "date_from": effective,
                }
            )
            change.write({"state": "notified", "date_notified": today, "date_effective": effective})
            Membership = self.env["coop.membership"]
            members = Membership.search(
                Membership._coop_state_domain("member") & Domain("company_id", "=", change.company_id.id)
            )
            self.env["coop.rate.change.member"].create(
                [{"change_id": change.id, "membership_id": member.id} for member in members]
            )._coop_send()

    def action_object(self, membership, today=None, reason=None):
        """The member objects within its notice (15 days from its delivery, SPEC 7.3): the
        services concerned are suspended for it. Staff see it on the membership, its PM gets
        an activity and the agents with the projects right a confirmation. Art. 4.6: an agent
        objects with the projects right only."""
        self.ensure_one()
        self.env.user.partner_id._coop_check_projects_right()
        today = today or fields.Date.context_today(self)
        notified = self.member_ids.filtered(lambda m: m.membership_id == membership)
        if self.state != "notified" or not notified:
            raise UserError(
                self.env._("%s was not notified of this rate change: it cannot object to it.", membership.display_name)
            )
        if notified.date_effective and today >= notified.date_effective:
            raise UserError(
                self.env._(
                    "The delay to object to this rate change ended on %s (art. 5.3).",
                    format_date(self.env, notified.date_effective - relativedelta(days=1)),
                )
            )
        if notified.objected:
            raise UserError(self.env._("%s already objected to this rate change.", membership.partner_id.name))
        objection = self.env["coop.rate.objection"].create(
            {
                "change_id": self.id,
                "membership_id": membership.id,
                "date": today,
                "reason": (reason or "").strip() or False,
                "objected_by_id": self.env.user.id,
            }
        )
        membership = membership.sudo()
        note = self.env._(
            "%(member)s objects to the new rate of %(service)s for %(category)s (art. 5.3): these services are "
            "suspended for it.",
            member=membership.partner_id.name,
            service=self.product_id.display_name,
            category=self.category_id.name,
        )
        membership.message_post(body=note + (f" {objection.reason}" if objection.reason else ""))
        user = membership._coop_responsible_user(self.env.ref("base.user_admin"))
        user_env = membership._coop_user_env(user)
        membership.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=user_env._("Rate change objected: %s", self.with_env(user_env).name),
            note=objection.reason,
        )
        member_env = membership._coop_member_env()
        membership._coop_send_notice(
            "projects",
            right="projects",
            subject=member_env._("Your objection to the new group rate"),
            body=member_env._(
                "We received your objection to the new group rate of %(service)s for %(category)s. These services "
                "are suspended for your company until the objection is settled with your Project Manager.",
                service=self.product_id.with_env(member_env).display_name,
                category=self.category_id.with_env(member_env).name,
            ),
        )
        return objection
