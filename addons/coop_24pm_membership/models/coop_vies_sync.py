import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.fields import Domain

from .coop_cron import run_in_batches

_logger = logging.getLogger(__name__)


class CoopViesSync(models.AbstractModel):
    """FAQ ("Contrat", SPEC 2.1.7): the legal name and address of a member follow VIES
    (no record: the sync of the member companies with VIES). A scheduled job re-checks
    each active member once a month, updates its company (``res.partner``) and records on
    the membership what VIES changed."""

    _name = "coop.vies.sync"
    _description = "Sync of the members' legal data with VIES"

    @api.model
    def _due_domain(self, today=None):
        """The memberships (``coop.membership``) of the active members with a VAT number not
        checked with VIES for a month."""
        today = today or fields.Date.context_today(self)
        return (
            self.env["coop.membership"]._coop_state_domain("member")
            & Domain("partner_id.vat", "!=", False)
            & (
                Domain("partner_id.coop_vies_date", "=", False)
                | Domain("partner_id.coop_vies_date", "<=", today - relativedelta(months=1))
            )
        )

    @api.model
    def _cron_sync(self):
        """Re-check the due members with VIES, in batches (``run_in_batches``: locked,
        one savepoint per member, committed through the cron progress API). VIES out
        of reach: the member stays due for the next run; a number VIES says is no longer
        active: a note on the membership (the job's failure report)."""
        memberships = self.env["coop.membership"].search(self._due_domain(), order="id")

        def sync(membership):
            if not membership.is_member:
                return
            self._sync(membership)

        return len(run_in_batches(memberships, sync, lock=lambda m: m.partner_id))

    @api.model
    def _sync(self, membership):
        """Check the VAT number of ``membership``'s company with VIES; update its legal name
        and address and post the changes on the membership. Returns the changes, ``None``
        when VIES could not be reached (nothing written)."""
        membership.ensure_one()
        partner = membership.partner_id.sudo()
        vals = partner._coop_vies_values(partner._coop_normalized_vat())
        if vals is None:
            _logger.info("VIES out of reach for %s: checked on the next run", partner.display_name)
            return None
        changes = partner._coop_apply_vies_values(vals)
        if changes:
            self._post_changes(membership, changes)
        return changes

    @api.model
    def _post_changes(self, membership, changes):
        """The changes VIES brought, on ``membership``'s chatter: field, before, after."""
        membership.ensure_one()
        items = Markup("").join(
            Markup("<li>%s: %s &rarr; %s</li>") % (escape(label), escape(old or "-"), escape(new or "-"))
            for label, old, new in changes
        )
        title = membership.env._("Legal name and address updated from VIES:")
        membership.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>") % (title, items),
            subtype_xmlid="mail.mt_note",
        )
