from odoo import api, fields, models
from odoo.tools import float_compare

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches
from odoo.addons.coop_24pm_membership.models.coop_membership import BOUND_STATES


class CoopGuaranteeFollowup(models.AbstractModel):
    """The daily follow-up of guarantees and mandate notices (art. 6.4.1, 7): a scheduled
    job of its own (issue 21: not the member). It walks the memberships whose guarantee is
    unpaid after its due date or paid again, and those whose rejected debit holds a mandate
    notice past its deadline; staff decide on the termination (an activity each)."""

    _name = "coop.guarantee.followup"
    _description = "Follow-up of guarantees and mandate notices"

    @api.model
    def _cron_coop_guarantee_followup(self):
        """Flag members whose guarantee is unpaid after its due date (staff may terminate
        them), and members past the mandate notice. (An overdue refund shows on its
        request, ``coop.guarantee.refund``: the PM's to-do is due on its deadline.)"""
        Membership = self.env["coop.membership"]
        today = fields.Date.context_today(self)
        unpaid = Membership.search(
            [
                ("guarantee_id.guarantee_required", "=", True),
                ("guarantee_id.guarantee_due_date", "<", today),
                ("guarantee_id.guarantee_overdue", "=", False),
                ("state", "in", BOUND_STATES),
            ]
        )
        # judged by the dates of the money (SPEC 7.2), whatever day this job runs
        flagged = unpaid.filtered(
            lambda m: (
                float_compare(
                    m.guarantee_id._coop_get_paid_by(m.guarantee_id.guarantee_due_date),
                    m.guarantee_id.guarantee_amount,
                    precision_rounding=m.currency_id.rounding,
                )
                < 0
            )
        )

        def follow_up(membership, summary):
            """The member needs follow-up: an activity for its account manager, in its language."""
            membership.needs_followup = True
            user = membership._coop_responsible_user(self.env.user, prefer="am")
            membership.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id, summary=summary(membership._coop_user_env(user))
            )

        def flag_unpaid(membership):
            if membership.guarantee_id.guarantee_overdue:
                return
            membership.guarantee_id.guarantee_overdue = True
            follow_up(
                membership,
                lambda env: env._(
                    "Guarantee unpaid after %s days: terminate?", membership.regulation_id.guarantee_payment_days
                ),
            )

        flagged = run_in_batches(flagged, flag_unpaid)
        paid = Membership.search([("guarantee_id.guarantee_overdue", "=", True)])
        balances = self.env["coop.guarantee"]._coop_get_balances(paid)
        paid = paid.filtered(
            lambda m: (
                float_compare(
                    balances.get(m.partner_id.id, 0.0),
                    m.guarantee_id.guarantee_amount,
                    precision_rounding=m.currency_id.rounding,
                )
                >= 0
            )
        )
        run_in_batches(paid.guarantee_id, lambda guarantee: guarantee.write({"guarantee_overdue": False}))
        expired = Membership.search(
            [
                (
                    "id",
                    "in",
                    self.env["coop.debit.rejection"]
                    .search([("mandate_notice_deadline", "<", today)])
                    .membership_id.ids,
                ),
                ("state", "in", BOUND_STATES),
                ("needs_followup", "=", False),
            ]
        ).filtered(lambda m: m.coop_payment_mode == "direct_debit")

        def flag_no_mandate(membership):
            if membership.needs_followup:
                return
            follow_up(
                membership,
                lambda env: env._(
                    "No new mandate after the notice: terminate for serious fault and draw on the guarantee?"
                ),
            )

        run_in_batches(expired, flag_no_mandate)
        return flagged
