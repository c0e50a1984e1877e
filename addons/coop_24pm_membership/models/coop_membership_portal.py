from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date


class CoopMembershipPortalActions(models.Model):
    """What the member does itself on the portal (issue 16): give notice of termination
    (art. 4.4.1) and read what the end of its contract settles (SPEC 7.4)."""

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

    def _coop_settlement_preview(self, date_end):
        """SPEC 7.4: what the end of the contract on ``date_end`` settles, in words and
        amounts known today: a list of ``{"label", "amount"}`` (``amount`` False when it
        is not known yet)."""
        self.ensure_one()
        currency = self.currency_id
        b_class = self.env.ref("coop_24pm_membership.share_class_b")
        lines = []
        uninvoiced = self._get_uninvoiced_amount()
        lines.append(
            {
                "label": self.env._(
                    "Final service invoice: the work and expenses not invoiced by %s (today's amount)",
                    format_date(self.env, date_end),
                ),
                "amount": uninvoiced,
            }
        )
        monthly = self._get_monthly_contribution()
        if monthly:
            lines.append(
                {
                    "label": self.env._(
                        "Contributions until %(end)s, the last one pro rata (%(monthly)s a month)",
                        end=format_date(self.env, date_end),
                        monthly=format_amount(self.env, monthly, currency),
                    ),
                    "amount": False,
                }
            )
        if self.b_shares:
            lines.append(
                {
                    "label": self.env._("Your B share bought back by 24PM at its nominal value (art. 4.4.2)"),
                    "amount": currency.round(-self.b_shares * b_class.nominal_value),
                }
            )
        guarantee = self._get_guarantee_paid()
        if guarantee:
            lines.append(
                {
                    "label": self.env._(
                        "Guarantee held: the undisputed sums still due are drawn from it, the balance is refunded "
                        "on request within %s months",
                        self.regulation_id.guarantee_refund_months,
                    ),
                    "amount": guarantee,
                }
            )
        lines.append(
            {
                "label": self.env._(
                    "No hiring of 24PM's staff or providers until %s (art. 9)",
                    format_date(self.env, date_end + relativedelta(months=self.regulation_id.non_solicitation_months)),
                ),
                "amount": False,
            }
        )
        return lines

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
