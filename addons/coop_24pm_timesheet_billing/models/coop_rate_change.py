from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from odoo.addons.coop_24pm_membership.models.coop_membership import MEMBER_STATES


class CoopRateChange(models.Model):
    """Art. 5.3: a new group rate is notified to the members; the old rate applies for
    15 more days; a member who objects has the services concerned suspended."""

    _name = "coop.rate.change"
    _description = "Group rate change"
    _inherit = ["mail.thread"]
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

    @api.depends("product_id", "category_id", "new_rate")
    def _compute_name(self):
        for change in self:
            rate = format_amount(self.env, change.new_rate, change.currency_id) if change.currency_id else ""
            change.name = f"{change.product_id.display_name or ''} / {change.category_id.name or ''}: {rate}"

    def action_notify(self, today=None):
        """Notify the members and schedule the new rate after the notice (15 days)."""
        today = today or fields.Date.context_today(self)
        Rate = self.env["coop.group.rate"]
        for change in self:
            if change.state != "draft":
                raise UserError(self.env._("Only a draft rate change can be notified."))
            regulation = self.env["coop.regulation"]._get_current()
            days = regulation.rate_change_notice_days if regulation else 15
            effective = today + relativedelta(days=days)
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
            members = self.env["coop.membership"].search(
                [("state", "in", MEMBER_STATES), ("company_id", "=", change.company_id.id)]
            )
            # SPEC 7.3: rate changes go to the agents with the projects right, each member in
            # its language, the rate and the date in its format
            for member in members:
                member_env = member.with_context(lang=member.partner_id.lang or self.env.lang).env
                member._coop_send_notice(
                    "rate_change",
                    right="projects",
                    subject=member_env._("New group rate"),
                    body=member_env._(
                        "The group rate of %(service)s for %(category)s becomes %(rate)s per hour from %(date)s "
                        "(the current rate applies until then). You may object until that date from your portal "
                        "or by replying to this message; the services concerned are then suspended.",
                        service=change.product_id.with_env(member_env).display_name,
                        category=change.category_id.with_env(member_env).name,
                        rate=format_amount(member_env, change.new_rate, change.currency_id),
                        date=format_date(member_env, effective),
                    ),
                )

    def action_object(self, membership, today=None):
        """The member objects within the notice: the services concerned are suspended for it."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        if self.state != "notified" or today >= self.date_effective:
            raise UserError(self.env._("This rate change can no longer be objected to."))
        if self.objection_ids.filtered(lambda o: o.membership_id == membership):
            raise UserError(self.env._("%s already objected to this rate change.", membership.partner_id.name))
        return self.env["coop.rate.objection"].create(
            {"change_id": self.id, "membership_id": membership.id, "date": today}
        )


class CoopRateObjection(models.Model):
    _name = "coop.rate.objection"
    _description = "Objection to a rate change"

    change_id = fields.Many2one("coop.rate.change", required=True, ondelete="cascade", index=True)
    membership_id = fields.Many2one("coop.membership", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    product_id = fields.Many2one(related="change_id.product_id", store=True)
    category_id = fields.Many2one(related="change_id.category_id", store=True)
    active = fields.Boolean(default=True, help="Archive when the objection is settled: the services resume.")

    _uniq = models.Constraint("UNIQUE(change_id, membership_id)", "A member objects once to a rate change.")
