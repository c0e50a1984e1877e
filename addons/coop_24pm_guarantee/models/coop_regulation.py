from odoo import fields, models


class CoopRegulation(models.Model):
    """Parameters of art. 6 and 7 that the regulations may change."""

    _inherit = "coop.regulation"

    def _coop_join_guarantee(self):
        """The guarantee a new member is invoiced with its B share under this regulation: its
        minimum when always required (2021); under ROI 2023 a new member has no credit
        assessment yet, so no guarantee (SPEC 7.5), else 0."""
        return self.guarantee_min if self.guarantee_policy == "mandatory" else 0.0

    late_interest_rate = fields.Float(
        "Late interest (% per month)", default=1.0, help="Art. 6.4.1: pro rata by day, a month counting as 30 days."
    )
    late_penalty_rate = fields.Float("Penalty clause (%)", default=10.0)
    late_penalty_min = fields.Monetary("Minimum penalty", default=150.0)
    rejected_debit_fee = fields.Monetary("Fee per rejected direct debit", default=15.0)
    rejected_debit_retry_days = fields.Integer("Retry a rejected debit after (days)", default=5)
    rejected_debits_before_notice = fields.Integer(
        "Rejections before the mandate notice",
        default=2,
        help="After this many rejected debits the member gets a notice to set up a new mandate or prepay.",
    )
    mandate_notice_days = fields.Integer("Days to set up a new mandate after the notice", default=10)
    direct_debit_days = fields.Integer(
        "Present direct debits within (days of the invoice)",
        default=10,
        help="Art. 6.1: or at the due date, whichever comes first.",
    )
    dispute_days = fields.Integer("Days to dispute an invoice", required=True, default=10, help="Art. 6.3.")
