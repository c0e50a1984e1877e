# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

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
