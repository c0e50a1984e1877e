# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime

from .coop_cron import run_in_batches
from .coop_membership import SERVING_STATES


class CoopMembershipSuspension(models.Model):
    """Art. 4.3: one episode of formal notice and suspension of a membership: the formal
    notice about wrong or outdated data (the hours to correct them run from its delivery,
    SPEC 7.3), the suspension (by the job once those hours are over, or by staff: art. 4.6,
    5.3, 11.1) and its end (data corrected, suspension lifted). A member may be put on
    formal notice several times: one record per episode; the membership points to the
    episode in progress (``coop.membership.suspension_id``) and lists them all."""

    _name = "coop.membership.suspension"
    _description = "Formal notice and suspension"
    _order = "id desc"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    state = fields.Selection(
        [("formal_notice", "Formal notice"), ("suspended", "Suspended"), ("lifted", "Over")],
        compute="_compute_state",
    )
    # formal notice (art. 4.3)
    date_formal_notice = fields.Datetime(
        "Formal notice sent",
        readonly=True,
        copy=False,
        help="When the formal notice reached the member: the hours to correct the data run from then (SPEC 7.3).",
    )
    formal_notice_reason = fields.Text(copy=False, help="What is wrong or outdated (sent in the formal notice).")
    # suspension (art. 4.3, 4.6, 5.3, 11.1)
    date_suspended = fields.Date(readonly=True, copy=False)
    state_before_suspension = fields.Selection(
        [("registered", "Registered"), ("active", "Active")],
        readonly=True,
        copy=False,
        help="The state a suspended membership returns to when the suspension is lifted.",
    )
    suspension_reason = fields.Text(copy=False)
    date_lifted = fields.Date(
        "Over on",
        readonly=True,
        copy=False,
        help="The data were corrected or the suspension was lifted: the episode is over.",
    )

    @api.depends("date_formal_notice", "date_suspended")
    def _compute_display_name(self):
        for episode in self:
            if episode.date_suspended:
                episode.display_name = self.env._("Suspended on %s", format_date(self.env, episode.date_suspended))
            elif episode.date_formal_notice:
                episode.display_name = self.env._(
                    "Formal notice delivered on %s", format_datetime(self.env, episode.date_formal_notice)
                )
            else:
                episode.display_name = self.env._("Formal notice")

    @api.depends("date_suspended", "date_lifted")
    def _compute_state(self):
        for episode in self:
            if episode.date_lifted:
                episode.state = "lifted"
            elif episode.date_suspended:
                episode.state = "suspended"
            else:
                episode.state = "formal_notice"

    # ------------------------------------------------------------------
    # the episode's facts
    # ------------------------------------------------------------------
    @api.model
    def _coop_give_formal_notice(self, memberships, reason=None):
        """Art. 4.3: formal notice about wrong or outdated data; 48 hours to correct, from the
        notice's delivery (SPEC 7.3: the episode's ``date_formal_notice`` is set when it is delivered)."""
        if memberships.filtered(lambda m: m.state not in SERVING_STATES):
            raise UserError(self.env._("A formal notice is sent to registered or active members only."))
        reason = reason or (len(memberships) == 1 and memberships.suspension_id.formal_notice_reason)
        if not (reason or "").strip():
            raise UserError(self.env._("Say which data is wrong or outdated."))
        for membership in memberships:
            membership._coop_suspension()._coop_send_formal_notice(reason)

    def _coop_send_formal_notice(self, reason):
        """Send the formal notice (again) for ``reason``: its hours run once it is delivered."""
        self.ensure_one()
        self.write({"date_formal_notice": False, "formal_notice_reason": reason})
        template = self.env.ref("coop_24pm_membership.mail_template_membership_formal_notice")
        self.membership_id._coop_send_notice("formal_notice", template)

    def _coop_suspend(self, reason):
        """Suspend the membership today, remembering the state it returns to; a note in its
        chatter and the member told by a tracked notice (SPEC 7.3)."""
        self.ensure_one()
        membership = self.membership_id
        today = fields.Date.context_today(self)
        self.write(
            {"state_before_suspension": membership.state, "date_suspended": today, "suspension_reason": reason or False}
        )
        membership.state = "suspended"
        membership._coop_post_state_change(
            self.env._(
                "The contract is suspended from %(date)s: %(reason)s. Requests and new work stop; the portal "
                "stays open to read, pay, dispute, correct data and give notice.",
                date=format_date(self.env, today),
                reason=reason or self.env._("no reason recorded"),
            )
        )
        member_env = membership.with_context(lang=membership.partner_id.lang or self.env.lang).env
        membership._coop_send_notice(
            "suspension",
            subject=member_env._("24PM: your membership %s is suspended", membership.name),
            body=member_env._(
                "Your membership contract %(ref)s with 24PM is suspended from %(date)s (art. 4.3): %(reason)s",
                ref=membership.name,
                date=format_date(member_env, self.date_suspended),
                reason=self.suspension_reason or "-",
            ),
        )

    def _coop_lift(self):
        """Lift the suspension: the membership returns to its state before it; the episode is over."""
        self.ensure_one()
        membership = self.membership_id
        membership.state = self.state_before_suspension or "active"
        self._coop_close(fields.Date.context_today(self))
        membership._coop_post_state_change(
            self.env._("The suspension is lifted: the contract runs again."), notify_member=True
        )

    def _coop_close(self, date):
        """The episode is over (data corrected, suspension lifted): the membership no longer
        points to it; its facts stay as the member's history."""
        self.write({"date_lifted": date})
        self.membership_id.filtered(lambda m: m.suspension_id in self).suspension_id = False

    def _coop_formal_notice_expired(self, now):
        """Art. 4.3: the 48 hours after the formal notice was delivered are over."""
        self.ensure_one()
        return bool(self.date_formal_notice) and (
            self.date_formal_notice + timedelta(hours=self.membership_id.regulation_id.formal_notice_hours) <= now
        )

    # ------------------------------------------------------------------
    # buttons of the episode's form (the membership's actions do the work)
    # ------------------------------------------------------------------
    def action_send_formal_notice(self):
        """Send the formal notice typed in this episode (a new one or the one in progress)."""
        self.ensure_one()
        membership = self.membership_id
        if self.date_lifted or membership.suspension_id not in (self, self.browse()):
            raise UserError(
                self.env._("This formal notice is not the one in progress for %s.", membership.display_name)
            )
        membership.suspension_id = self
        return membership.action_formal_notice(self.formal_notice_reason)

    def action_clear_formal_notice(self):
        return self.membership_id.action_clear_formal_notice()

    # ------------------------------------------------------------------
    # scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_suspend_after_formal_notice(self):
        """Art. 4.3: suspend 48 hours after a formal notice left without correction."""
        now = fields.Datetime.now()
        Membership = self.env["coop.membership"]
        candidates = Membership.search(
            Membership._coop_state_domain("serving") & Domain("suspension_id.date_formal_notice", "!=", False)
        )
        expired = candidates.filtered(lambda m: m.suspension_id._coop_formal_notice_expired(now))

        def suspend(membership):
            if membership.state not in SERVING_STATES or not membership.suspension_id._coop_formal_notice_expired(now):
                return  # changed since the search (another job, a user)
            # through the action, as the button (SPEC 7.4): checks, message and notice once
            membership.action_suspend(
                reason=self.env._(
                    "Suspended %(hours)s hours after the formal notice: %(reason)s",
                    hours=membership.regulation_id.formal_notice_hours,
                    reason=membership.suspension_id.formal_notice_reason,
                )
            )

        return len(run_in_batches(expired, suspend, lock=lambda m: m.partner_id))
