from odoo import api, fields, models
from odoo.fields import Domain

from .coop_cron import run_in_batches


class CoopMembershipJoin(models.Model):
    """Joining 100 % online (SPEC 2.1), what is the member's: the VAT number asked of a
    company that joined while being incorporated (SPEC 2.1.8).

    The journey itself (its steps and e-mails, the company profile, the application, its
    reminders and the activation once concluded) is ``coop.membership.application``'s
    (issue 21); the company gives its VAT number on ``res.partner`` (``_coop_join_give_vat``).
    """

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    date_vat_reminder = fields.Date(
        "VAT number last asked", readonly=True, copy=False, help="Companies that joined while being incorporated."
    )
    # issue 21: the joining invoices, the journey's e-mails and its reminders are the
    # application's (it stays the journey's record after its conclusion until active)

    @api.model
    def _coop_remind_vat(self):
        """Members that joined while being incorporated are asked for their VAT number
        every ``vat_reminder_days`` of their regulation (30) until they give it (SPEC 2.1.8)."""
        today = fields.Date.context_today(self)
        due = self.search(
            Domain("partner_id.coop_not_incorporated", "=", True)
            & self._coop_state_domain("member")
            & (
                Domain("date_vat_reminder", "=", False)
                # reminded again on the day the delay is over
                | self.env["coop.regulation"]._coop_older_than(
                    "date_vat_reminder", "vat_reminder_days", fields.Date.add(today, days=1)
                )
            )
        )
        template = self.env.ref("coop_24pm_membership.mail_template_join_vat_reminder")

        def remind(membership):
            membership._coop_send_notice("journey", template)
            membership.date_vat_reminder = today

        return len(run_in_batches(due, remind))
