# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models

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
