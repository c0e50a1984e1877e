from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class CoopMembershipPortalActions(models.Model):
    """What the member does itself on the portal (issue 16): give notice of termination
    (art. 4.4.1); what the end of its contract settles is the end's
    (``coop.membership.termination._preview``, SPEC 7.4)."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_earliest_end_date(self, on_date=None):
        """Art. 4.4.1: the earliest end of the contract for a notice given ``on_date``."""
        self.ensure_one()
        return self._coop_notice_end_date(fields.Date.to_date(on_date) or fields.Date.context_today(self))

    def action_portal_give_notice(self, date_end, user):
        """The member's notice of termination from the portal (art. 4.4.1), given by
        ``user`` for the end date ``date_end``: the membership's own action (state
        check, chatter, notice to the agents, SPEC 7.3), and an activity for the PM to
        acknowledge it. A second click finds the notice recorded and changes nothing."""
        self.ensure_one()
        self.lock_for_update()
        if self.state == "notice":
            raise UserError(
                self.env._(
                    "Your notice of termination is already recorded: the contract ends on %s.",
                    format_date(self.env, self.date_end) if self.date_end else "-",
                )
            )
        self._coop_check_portal_action("give_notice")
        if not date_end:
            raise UserError(self.env._("Give the date on which the contract should end."))
        today = fields.Date.context_today(self)
        self.action_give_notice(today, "member", date_end=date_end)
        self._coop_notice_activity(user)
        return True

    def _coop_notice_activity(self, user):
        """The PM (else the AM, else the administrator) acknowledges the member's notice
        (SPEC 2.3: the PM acknowledges the e-mail that replaces the registered letter)."""
        self.ensure_one()
        responsible = self.pm_id or self.am_id
        if not responsible or responsible.share:
            responsible = self.env.ref("base.user_admin")
        user_env = self._coop_user_env(responsible)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=responsible.id,
            date_deadline=fields.Date.context_today(self) + relativedelta(days=2),
            summary=user_env._("Acknowledge the notice of termination"),
            note=user_env._(
                "%(agent)s gave notice of termination from the portal on behalf of %(company)s: the contract "
                "ends on %(end)s. Acknowledge it to the member and prepare the final settlement.",
                agent=user.partner_id.name,
                company=self.partner_id.display_name,
                end=format_date(user_env, self.date_end),
            ),
        )

    def _coop_b_share_lines(self):
        """The share register's entries of the member's B share(s) (the share
        certificate), oldest first."""
        self.ensure_one()
        return (
            self.env["coop.share.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("share_class_id", "=", self.env.ref("coop_24pm_membership.share_class_b").id),
                ],
                order="date, id",
            )
        )
