from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .coop_cron import run_in_batches


class CoopRegulationChange(models.Model):
    """Art. 11.1: a new regulation is notified to a member, who has 10 days to contest it.

    Without contest it applies when the delay expires (scheduled action); a contest
    is recorded and flags the member's file for follow-up.
    """

    _name = "coop.regulation.change"
    _description = "Regulation change notified to a member"
    _inherit = ["mail.thread"]
    _order = "date_notified desc, id desc"

    membership_id = fields.Many2one("coop.membership", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    old_regulation_id = fields.Many2one("coop.regulation", required=True, readonly=True)
    new_regulation_id = fields.Many2one("coop.regulation", required=True)
    date_notified = fields.Date(
        readonly=True,
        help="SPEC 7.3: the day the notice was delivered to the member; the delay to contest runs from it.",
    )
    date_deadline = fields.Date(compute="_compute_date_deadline", store=True)
    state = fields.Selection(
        [("notified", "Notified"), ("contested", "Contested"), ("applied", "Applied"), ("withdrawn", "Withdrawn")],
        default="notified",
        required=True,
        tracking=True,
    )
    contest_reason = fields.Text()
    date_contested = fields.Date(readonly=True)

    @api.depends("date_notified", "new_regulation_id.contest_days")
    def _compute_date_deadline(self):
        for change in self:
            days = change.new_regulation_id.contest_days
            change.date_deadline = change.date_notified and change.date_notified + relativedelta(days=days)

    @api.model
    def _coop_notify(self, memberships, new_regulation):
        """Art. 11.1: one change record per member and an e-mail. ROI 2021 art. 3: an
        affiliate stays under the 2019 regulation until it migrates by a transfer contract
        agreed with 24PM; a change of regulation notified under art. 11.1 does not apply to it."""
        affiliates = memberships.filtered("regulation_id.is_affiliation")
        if affiliates:
            raise UserError(
                self.env._(
                    "ROI 2019 art. 3: %s stay(s) under the 2019 regulation until they migrate by a transfer "
                    "contract; a new regulation is not notified to affiliates.",
                    ", ".join(affiliates.partner_id.mapped("display_name")),
                )
            )
        changes = self.create(
            [
                {"membership_id": m.id, "old_regulation_id": m.regulation_id.id, "new_regulation_id": new_regulation.id}
                for m in memberships
            ]
        )
        template = self.env.ref("coop_24pm_membership.mail_template_regulation_change")
        for change in changes:
            # SPEC 7.3: the 10 days to contest run from the delivery (``date_notified``)
            change.membership_id._coop_send_notice("regulation_change", template, record=change)
            change.membership_id.message_post(
                body=self.env._(
                    "New regulation %(reg)s notified; the delay to contest it runs from the delivery of the notice.",
                    reg=new_regulation.name,
                )
            )
        return changes

    def action_contest(self, reason):
        """Record a contest (from staff or the member's portal) within the delay."""
        today = fields.Date.context_today(self)
        for change in self:
            if change.state != "notified":
                raise UserError(self.env._("Only a notified regulation change can be contested."))
            if change.date_deadline and today > change.date_deadline:
                raise UserError(
                    self.env._("The delay to contest this regulation change ended on %s.", change.date_deadline)
                )
            if not (reason or "").strip():
                raise UserError(self.env._("Please give the reason of the contest."))
        self.write({"state": "contested", "contest_reason": reason, "date_contested": today})
        self.membership_id.write({"needs_followup": True})
        for change in self:
            membership = change.membership_id.sudo()
            membership.message_post(
                body=self.env._(
                    "The member contests the new regulation %(reg)s: %(reason)s",
                    reg=change.new_regulation_id.name,
                    reason=reason,
                )
            )
            # issue 16: the PM answers the contest (art. 11.1)
            user = membership._coop_responsible_user(self.env.ref("base.user_admin"))
            user_env = membership._coop_user_env(user)
            membership.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=user_env._("Answer the contest of the new regulation %s", change.new_regulation_id.name),
                note=change._coop_contest_note(user_env, reason),
            )

    def _coop_contest_note(self, user_env, reason):
        """The PM's activity on a contest: the member's reason (the services the contest
        suspends are added where the services are known)."""
        return reason

    def _coop_notice_delivery_changed(self, notice):
        """SPEC 7.3: the 10 days to contest start when the notice is delivered."""
        self.ensure_one()
        if self.state == "notified":
            self.date_notified = notice.state == "delivered" and notice.date_delivered.date()

    @api.depends("new_regulation_id.name")
    def _compute_display_name(self):
        for change in self:
            change.display_name = self.env._("Change to %s", change.new_regulation_id.name or "-")

    def _coop_dispute_persists(self):
        """Art. 11.1: a contested change persists until it is withdrawn or applied."""
        self.ensure_one()
        return self.state == "contested"

    def _coop_dispute_notice_given(self):
        """The contest ends with the contract: nothing more to do on the change."""

    def action_apply(self):
        for change in self:
            if change.state not in ("notified", "contested"):
                raise UserError(self.env._("This regulation change is already closed."))
        for change in self:
            change.membership_id.regulation_id = change.new_regulation_id
        self.write({"state": "applied"})

    def action_withdraw(self):
        if self.filtered(lambda c: c.state == "applied"):
            raise UserError(self.env._("An applied regulation change cannot be withdrawn."))
        self.write({"state": "withdrawn"})

    @api.model
    def _cron_apply_expired(self):
        """Apply, without contest, the changes whose delay has expired."""
        today = fields.Date.context_today(self)
        changes = self.search([("state", "=", "notified"), ("date_deadline", "<", today)])
        applied = run_in_batches(
            changes, lambda change: change.state == "notified" and change.action_apply(), lock=lambda c: c.membership_id
        )
        return len(applied)
