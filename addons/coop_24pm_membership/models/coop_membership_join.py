from odoo import api, fields, models
from odoo.fields import Domain

from .coop_cron import run_in_batches

#: e-mail template of each step of the online journey after the conclusion, sent once (other
#: addons add theirs); the steps before it are the application's (``APPLICATION_JOIN_TEMPLATES``)
JOIN_TEMPLATES = {
    "invoices": "coop_24pm_membership.mail_template_join_invoices",
    "active": "coop_24pm_membership.mail_template_join_active",
}
#: SPEC 7.3: the steps whose e-mail is a finance matter (the other steps go to all agents)
JOIN_FINANCE_STEPS = {"invoices", "mandate", "mandate_confirmed"}


class CoopMembershipJoin(models.Model):
    """Joining 100 % online (SPEC 2.1), what is the member's: the journey's e-mails sent
    to it once concluded, and the VAT number asked of a company that joined while being
    incorporated (SPEC 2.1.8).

    The journey itself (its steps, the company profile, the application, its reminders and
    the activation once concluded) is ``coop.membership.application``'s (issue 21); the
    company gives its VAT number on ``res.partner`` (``_coop_join_give_vat``).
    """

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    date_vat_reminder = fields.Date(
        "VAT number last asked", readonly=True, copy=False, help="Companies that joined while being incorporated."
    )
    # issue 21: the joining invoices, the journey's e-mails sent and its reminder are the
    # application's (it stays the journey's record after its conclusion until active)

    # ------------------------------------------------------------------
    # e-mails of the journey, one per step
    # ------------------------------------------------------------------
    def _coop_join_template_xmlid(self, key):
        return JOIN_TEMPLATES.get(key)

    def _coop_join_notify(self, key):
        """Send the e-mail of a step once per membership (in the member's language); the
        steps sent are recorded on its application (the journey's record, issue 21): a
        membership without one did not join online and has no journey."""
        xmlid = self._coop_join_template_xmlid(key)
        template = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return False
        for membership in self.sudo().filtered("application_id"):
            application = membership.application_id
            sent = set(filter(None, (application.join_mail_keys or "").split(",")))
            if key in sent:
                continue
            right = "finance" if key in JOIN_FINANCE_STEPS else None
            membership._coop_send_notice("journey", template, right=right)
            application.join_mail_keys = ",".join(sorted(sent | {key}))
        return True

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
