# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from .coop_cron import run_in_batches
from .coop_rules import commitment_year_end, fault_indemnity, notice_end_date

PARTIES = [("member", "The member"), ("coop", "24PM")]


class CoopMembershipTermination(models.Model):
    """The end of a membership (art. 4.4, 9, 10): the notice given, the termination, the
    serious fault and its indemnity, the non-solicitation period. One per membership,
    created by the first notice or termination (``coop.membership._coop_termination``)."""

    _name = "coop.membership.termination"
    _description = "End of a membership"
    _rec_name = "membership_id"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    # notice (art. 4.4.1, 6.3, 11.1)
    date_notice = fields.Date("Notice given on", readonly=True, copy=False)
    notice_given_by = fields.Selection(PARTIES, readonly=True, copy=False)
    notice_days = fields.Integer(
        "Notice period (days)",
        readonly=True,
        copy=False,
        help="Art. 6.3 and 11.1: the short notice either party may give when a dispute persists.",
    )
    # termination (art. 4.4.2, 9, 10)
    date_terminated = fields.Date(readonly=True, copy=False)
    termination_type = fields.Selection(
        [
            ("notice", "After notice"),
            ("fault", "For serious fault"),
            ("refused", "Application refused"),
            ("withdrawn", "Application withdrawn"),
        ],
        readonly=True,
        copy=False,
    )
    fault_party = fields.Selection(PARTIES, readonly=True, copy=False)
    fault_description = fields.Text(readonly=True, copy=False)
    fault_indemnity_amount = fields.Monetary(
        readonly=True, copy=False, help="Art. 10: 3 months of contribution, minimum EUR 1,000."
    )
    non_solicitation_end = fields.Date(
        "End of non-solicitation", readonly=True, copy=False, help="Art. 9: 12 months after the end."
    )

    _membership_unique = models.Constraint("UNIQUE(membership_id)", "A membership ends once.")

    @api.model
    def _record_fault(self, memberships, fault_party, fault_description):
        """Art. 10: the serious fault ``memberships`` are terminated for, by ``fault_party``,
        and its indemnity (3 months of the plan's contribution, minimum EUR 1,000)."""
        if fault_party not in ("member", "coop"):
            raise UserError(self.env._("Say which party committed the serious fault."))
        if not (fault_description or "").strip():
            raise UserError(self.env._("Describe the serious fault (articles 6.4, 7, 8.3.3 or 9)."))
        for membership in memberships:
            membership._coop_termination().write(
                {
                    "fault_party": fault_party,
                    "fault_description": fault_description,
                    "fault_indemnity_amount": self._get_fault_indemnity(membership),
                }
            )

    @api.model
    def _get_fault_indemnity(self, membership):
        """Art. 10: 3 months of the plan's contribution, minimum EUR 1,000."""
        regulation = membership.regulation_id
        amount = fault_indemnity(
            membership._get_monthly_contribution(),
            months=regulation.fault_indemnity_months,
            minimum=regulation.fault_indemnity_min,
        )
        return membership.currency_id.round(amount)

    def _coop_send_termination_notice(self):
        """SPEC 7.3: the member of an end after notice or for fault is told by a tracked notice."""
        for termination in self.filtered(lambda t: t.termination_type in ("notice", "fault")):
            membership = termination.membership_id
            member_env = membership.with_context(lang=membership.partner_id.lang or self.env.lang).env
            membership._coop_send_notice(
                "termination",
                subject=member_env._("24PM: your membership %s is terminated", membership.name),
                body=member_env._(
                    "Your membership contract %(ref)s with 24PM ends on %(date)s. Your B share is bought back at "
                    "its nominal value (art. 4.4.2).",
                    ref=membership.name,
                    date=format_date(member_env, membership.date_end),
                ),
            )

    def _coop_record_end(self, date, termination_type, was_member):
        """Art. 4.4.2 and 9: the termination on ``date``; a member stays bound by the
        non-solicitation for the regulation's months."""
        months = self.membership_id.regulation_id.non_solicitation_months
        self.write(
            {
                "date_terminated": date,
                "termination_type": termination_type,
                "non_solicitation_end": (date + relativedelta(months=months)) if was_member else False,
            }
        )

    # ------------------------------------------------------------------
    # notice (art. 4.4.1, 6.3, 11.1)
    # ------------------------------------------------------------------
    @api.model
    def _give_notice(self, membership, date_notice, given_by, asked_end=None):
        """Art. 4.4.1: ``membership``'s notice of termination; the contract ends when the
        notice period has run, or on ``asked_end``, the end the member asks for, no earlier
        than the notice period allows (an annual commitment ends with a commitment year)."""
        date_end = self._notice_end_date(membership, date_notice)
        if asked_end:
            date_end = self._check_asked_end_date(membership, date_notice, asked_end)
        membership._coop_termination().write({"date_notice": date_notice, "notice_given_by": given_by})
        membership.write({"state": "notice", "date_end": date_end})
        member_env = membership.with_context(lang=membership.partner_id.lang or self.env.lang).env
        if given_by == "coop":
            # SPEC 7.3: 24PM's notice runs from its delivery to the member; no end date before
            membership.date_end = False
            membership._coop_post_state_change(
                self.env._(
                    "Notice of termination given on %(notice)s by 24PM: the contract ends when the notice "
                    "period, counted from its delivery to the member, has run.",
                    notice=format_date(self.env, date_notice),
                )
            )
            membership._coop_send_notice(
                "notice",
                subject=member_env._("24PM gives notice of termination of your membership %s", membership.name),
                body=member_env._(
                    "24PM gives notice of termination of your membership contract %(ref)s (art. 4.4.1). The "
                    "notice period runs from the delivery of this message.",
                    ref=membership.name,
                ),
            )
            return
        membership._coop_post_state_change(
            self.env._(
                "Notice of termination given on %(notice)s by %(party)s: the contract ends on %(end)s.",
                notice=format_date(self.env, date_notice),
                party=dict(self._fields["notice_given_by"]._description_selection(self.env))[given_by],
                end=format_date(self.env, date_end),
            )
        )
        # SPEC 7.3: the member's agents are told by a tracked notice
        membership._coop_send_notice(
            "notice",
            subject=member_env._("24PM: notice of termination of your membership %s", membership.name),
            body=member_env._(
                "Your notice of termination of the membership contract %(ref)s, given on %(notice)s, is "
                "recorded (art. 4.4.1): the contract ends on %(end)s.",
                ref=membership.name,
                notice=format_date(member_env, date_notice),
                end=format_date(member_env, date_end),
            ),
        )

    @api.model
    def _shorten_notice(self, membership, dispute):
        """Art. 6.3 and 11.1: when a dispute persists after 24PM's answer (an invoice
        dispute rejected, a regulation change contested), either party may end the
        contract with a short notice (15 days, the regulation's ``dispute_notice_days``)."""
        if not dispute or dispute.membership_id != membership or not dispute._coop_dispute_persists():
            raise UserError(
                self.env._(
                    "A notice of %(days)s days needs a dispute of this membership that persists after 24PM's answer "
                    "(art. 6.3) or a contested regulation change (art. 11.1).",
                    days=membership.regulation_id.dispute_notice_days,
                )
            )
        membership._coop_termination().notice_days = membership.regulation_id.dispute_notice_days
        dispute._coop_dispute_notice_given()
        membership.message_post(
            body=self.env._(
                "Short notice because this dispute persists: %(dispute)s (art. 6.3, 11.1).",
                dispute=dispute.display_name,
            )
        )

    @api.model
    def _check_asked_end_date(self, membership, date_notice, asked_end):
        """Art. 4.4.1: the end date a member asks for in its notice: refused when shorter
        than the notice period; an annual commitment ends with a commitment year."""
        earliest = self._notice_end_date(membership, date_notice)
        if asked_end < earliest:
            raise UserError(
                self.env._(
                    "The notice period of your contract (%(period)s) does not allow an end on %(asked)s: the "
                    "contract can end on %(earliest)s at the earliest.",
                    period=self._notice_period_text(membership),
                    asked=format_date(self.env, asked_end),
                    earliest=format_date(self.env, earliest),
                )
            )
        if membership.commitment == "annual":
            return commitment_year_end(membership.date_start or membership.date_registered or date_notice, asked_end)
        return asked_end

    @api.model
    def _notice_period_text(self, membership):
        """The notice period of ``membership`` (art. 4.4.1), in words."""
        regulation = membership.regulation_id
        if membership.commitment == "annual":
            return self.env._("%s month(s) before the end of the commitment year", regulation.notice_months_annual)
        return self.env._("%s month(s)", regulation.notice_months_monthly)

    @api.model
    def _notice_end_date(self, membership, date_notice=None):
        """Art. 4.4.1: the end of ``membership``'s contract for a notice given on
        ``date_notice`` (today by default: the earliest end it can ask for)."""
        date_notice = fields.Date.to_date(date_notice) or fields.Date.context_today(self)
        regulation = membership.regulation_id
        if membership.termination_id.notice_days:
            return date_notice + relativedelta(days=membership.termination_id.notice_days)
        return notice_end_date(
            date_notice,
            membership.commitment,
            membership.date_start or membership.date_registered or date_notice,
            monthly_months=regulation.notice_months_monthly,
            annual_months=regulation.notice_months_annual,
        )

    @api.model
    def _cron_terminate_after_notice(self):
        """Terminate the contracts whose notice period has ended (the scheduled action)."""
        today = fields.Date.context_today(self)
        # the termination posts (share buy-back, sums due): only where the configuration is complete
        ready = self.env["res.company"]._coop_ready_companies("Cooperative terminations after notice")
        ended = self.env["coop.membership"].search(
            [("state", "=", "notice"), ("date_end", "<", today), ("company_id", "in", ready.ids)]
        )

        def terminate(membership):
            if membership.state == "notice":  # not terminated meanwhile
                # through the action, as the button (SPEC 7.4)
                membership.action_terminate(date=membership.date_end, termination_type="notice")

        return len(run_in_batches(ended, terminate, lock=lambda m: m.partner_id))

    @api.model
    def _portal_give_notice(self, membership, date_end, user):
        """The member's notice of termination from the portal (art. 4.4.1, issue 16), given by
        ``user`` for the end date ``date_end``: the membership's own action (state check,
        chatter, notice to the agents, SPEC 7.3), and an activity for the PM to acknowledge
        it. A second click finds the notice recorded and changes nothing."""
        membership.ensure_one()
        membership.lock_for_update()
        if membership.state == "notice":
            raise UserError(
                self.env._(
                    "Your notice of termination is already recorded: the contract ends on %s.",
                    format_date(self.env, membership.date_end) if membership.date_end else "-",
                )
            )
        membership._coop_check_portal_action("give_notice")
        if not date_end:
            raise UserError(self.env._("Give the date on which the contract should end."))
        membership.action_give_notice(fields.Date.context_today(self), "member", date_end=date_end)
        membership.termination_id._notice_activity(user)
        return True

    def _notice_activity(self, user):
        """The PM (else the AM, else the administrator) acknowledges the notice ``user`` gave
        from the portal (SPEC 2.3: the PM acknowledges the e-mail that replaces the
        registered letter)."""
        self.ensure_one()
        membership = self.membership_id
        responsible = membership._coop_responsible_user()
        if not responsible or responsible.share:
            responsible = self.env.ref("base.user_admin")
        user_env = membership._coop_user_env(responsible)
        membership.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=responsible.id,
            date_deadline=fields.Date.context_today(self) + relativedelta(days=2),
            summary=user_env._("Acknowledge the notice of termination"),
            note=user_env._(
                "%(agent)s gave notice of termination from the portal on behalf of %(company)s: the contract "
                "ends on %(end)s. Acknowledge it to the member and prepare the final settlement.",
                agent=user.partner_id.name,
                company=membership.partner_id.display_name,
                end=format_date(user_env, membership.date_end),
            ),
        )

    @api.model
    def _preview(self, membership, date_end):
        """SPEC 7.4: what the end of ``membership``'s contract on ``date_end`` settles, in words and
        amounts known today: a list of ``{"label", "amount"}`` (``amount`` False when it
        is not known yet)."""
        membership.ensure_one()
        currency = membership.currency_id
        b_class = self.env.ref("coop_24pm_membership.share_class_b")
        lines = []
        uninvoiced = membership._get_uninvoiced_amount()
        lines.append(
            {
                "label": self.env._(
                    "Final service invoice: the work and expenses not invoiced by %s (today's amount)",
                    format_date(self.env, date_end),
                ),
                "amount": uninvoiced,
            }
        )
        monthly = membership._get_monthly_contribution()
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
        if membership.b_shares:
            lines.append(
                {
                    "label": self.env._("Your B share bought back by 24PM at its nominal value (art. 4.4.2)"),
                    "amount": currency.round(-membership.b_shares * b_class.nominal_value),
                }
            )
        guarantee = membership._get_guarantee_paid()
        if guarantee:
            lines.append(
                {
                    "label": self.env._(
                        "Guarantee held: the undisputed sums still due are drawn from it, the balance is refunded "
                        "on request within %s months",
                        membership.regulation_id.guarantee_refund_months,
                    ),
                    "amount": guarantee,
                }
            )
        lines.append(
            {
                "label": self.env._(
                    "No hiring of 24PM's staff or providers until %s (art. 9)",
                    format_date(
                        self.env, date_end + relativedelta(months=membership.regulation_id.non_solicitation_months)
                    ),
                ),
                "amount": False,
            }
        )
        return lines
