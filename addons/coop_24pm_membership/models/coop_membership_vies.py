import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.fields import Domain

from .coop_cron import run_in_batches

_logger = logging.getLogger(__name__)


class CoopMembershipVies(models.Model):
    """FAQ ("Contrat", SPEC 2.1.7): the legal name and address of a member follow VIES.
    A scheduled job re-checks each active member once a month and records on the
    membership what VIES changed."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    @api.model
    def _coop_vies_due_domain(self, today=None):
        """Active members with a VAT number not checked with VIES for a month."""
        today = today or fields.Date.context_today(self)
        return (
            self._coop_state_domain("member")
            & Domain("partner_id.vat", "!=", False)
            & (
                Domain("partner_id.coop_vies_date", "=", False)
                | Domain("partner_id.coop_vies_date", "<=", today - relativedelta(months=1))
            )
        )

    @api.model
    def _cron_vies_sync(self):
        """Re-check the due members with VIES, in batches (``run_in_batches``: locked,
        one savepoint per member, committed through the cron progress API). VIES out
        of reach: the member stays due for the next run; a number VIES says is no longer
        active: a note on the membership (the job's failure report)."""
        memberships = self.search(self._coop_vies_due_domain(), order="id")

        def sync(membership):
            if not membership.is_member:
                return
            membership._coop_sync_vies()

        return len(run_in_batches(memberships, sync, lock=lambda m: m.partner_id))

    def _coop_sync_vies(self):
        """Check this member's VAT number with VIES; update its legal name and address and
        post the changes on the membership. Returns the changes, ``None`` when VIES could
        not be reached (nothing written)."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        vals = partner._coop_vies_values(partner._coop_normalized_vat())
        if vals is None:
            _logger.info("VIES out of reach for %s: checked on the next run", partner.display_name)
            return None
        changes = partner._coop_apply_vies_values(vals)
        if changes:
            self._coop_post_vies_changes(changes)
        return changes

    def action_coop_check_vies(self):
        """The membership's button: the member company's legal data from VIES now."""
        self.partner_id.action_coop_check_vies()
        return True

    def _coop_post_vies_changes(self, changes):
        """The changes VIES brought, on the membership's chatter: field, before, after."""
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s: %s &rarr; %s</li>") % (escape(label), escape(old or "-"), escape(new or "-"))
            for label, old, new in changes
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Legal name and address updated from VIES:"), items),
            subtype_xmlid="mail.mt_note",
        )
