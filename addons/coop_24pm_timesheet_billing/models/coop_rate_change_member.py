from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date


class CoopRateChangeMember(models.Model):
    """A rate change as notified to one member (art. 5.3, SPEC 7.3).

    The member keeps the old group rate, and may object, until 15 days after its notice
    was delivered to one of its agents: a notice without recipient or bounced holds the
    old rate until a notice reaches it.
    """

    _name = "coop.rate.change.member"
    _inherit = ["coop.pricing.source.mixin"]
    _description = "Rate change notified to a member"
    _order = "change_id desc, id"

    change_id = fields.Many2one("coop.rate.change", required=True, ondelete="cascade", index=True)
    membership_id = fields.Many2one("coop.membership", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id")
    product_id = fields.Many2one(related="change_id.product_id", store=True)
    category_id = fields.Many2one(related="change_id.category_id", store=True)
    notice_id = fields.Many2one("coop.notice", "Notice", readonly=True, ondelete="set null")
    notice_state = fields.Selection(related="notice_id.state", string="Delivery")
    date_delivered = fields.Date("Delivered on", readonly=True)
    date_effective = fields.Date(
        "New rate from",
        compute="_compute_date_effective",
        store=True,
        help="15 days after the notice was delivered; empty while it was not.",
    )
    objected = fields.Boolean(compute="_compute_objected")
    old_rate_kept = fields.Boolean(
        "Old rate until the end",
        readonly=True,
        help="Art. 5.3: the member objected and the contract ends after notice: its services are billed at the old "
        "rate until the end.",
    )

    _uniq = models.Constraint("UNIQUE(change_id, membership_id)", "A member is notified once of a rate change.")

    @api.depends("date_delivered", "old_rate_kept", "change_id.date_effective", "change_id.date_notified")
    def _compute_date_effective(self):
        for line in self:
            change = line.change_id
            if not line.date_delivered or not change.date_effective or line.old_rate_kept:
                line.date_effective = False
                continue
            days = (change.date_effective - change.date_notified).days
            line.date_effective = max(change.date_effective, line.date_delivered + relativedelta(days=days))

    @api.depends("change_id.objection_ids.membership_id", "change_id.objection_ids.active")
    def _compute_objected(self):
        objections = (
            self.env["coop.rate.objection"]
            .with_context(active_test=False)
            .search([("change_id", "in", self.change_id.ids), ("membership_id", "in", self.membership_id.ids)])
        )
        done = {(o.change_id.id, o.membership_id.id) for o in objections}
        for line in self:
            line.objected = (line.change_id.id, line.membership_id.id) in done

    def _coop_send(self):
        """The notice to the agents with the projects right, in the member's language."""
        for line in self:
            change, member = line.change_id, line.membership_id
            member_env = member._coop_member_env()
            notice = member._coop_send_notice(
                "rate_change",
                right="projects",
                subject=member_env._("New group rate"),
                body=member_env._(
                    "The group rate of %(service)s for %(category)s becomes %(rate)s per hour, 15 days after this "
                    "message reaches you (from %(date)s at the earliest; the current rate applies until then). You "
                    "may object within these 15 days from your portal or by replying to this message; the services "
                    "concerned are then suspended.",
                    service=change.product_id.with_env(member_env).display_name,
                    category=change.category_id.with_env(member_env).name,
                    rate=format_amount(member_env, change.new_rate, change.currency_id),
                    date=format_date(member_env, change.date_effective),
                ),
                about=line,  # the line's 15 days run from the delivery, even of an e-mail sent at once
            )
            line.notice_id = notice

    def action_send_again(self):
        """Send the notice again once the member has an agent who can receive it."""
        pending = self.filtered(lambda line: not line.date_delivered)
        if not pending:
            raise UserError(self.env._("These members already received the notice of the rate change."))
        pending._coop_send()

    def _coop_notice_delivery_changed(self, notice):
        """SPEC 7.3: the 15 days run from the delivery; the member's unbilled time on the
        service is priced again at the rate of its dates."""
        self.ensure_one()
        delivered = notice.state == "delivered" and notice.date_delivered
        self.date_delivered = delivered and delivered.date()
        change = self.change_id
        lines = (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("coop_membership_id", "=", self.membership_id.id),
                    ("coop_category_id", "=", change.category_id.id),
                    ("coop_invoice_line_id", "=", False),
                    ("date", ">=", change.date_effective),
                ]
            )
        )
        lines._coop_reprice()

    @api.model
    def _coop_rate_holds(self, memberships):
        """{(membership id, product id, category id): [(new rate's date, member's date or None)]}:
        the periods in which these members keep an old group rate."""
        holds = {}
        lines = self.sudo().search_fetch(
            [("membership_id", "in", memberships.ids), ("change_id.state", "=", "notified")],
            ["membership_id", "product_id", "category_id", "date_effective", "change_id"],
        )
        for line in lines:
            start = line.change_id.date_effective
            if line.date_effective and line.date_effective <= start:
                continue
            key = (line.membership_id.id, line.product_id.id, line.category_id.id)
            holds.setdefault(key, []).append((start, line.date_effective or None))
        return holds

    @api.model
    def _coop_rate_date(self, holds, membership, product, category, on_date):
        """The date whose group rate applies to this member's work of ``on_date``."""
        for start, end in holds.get((membership.id, product.id, category.id), ()):
            if start <= on_date and (end is None or on_date < end):
                return start - relativedelta(days=1)
        return on_date
