from odoo import models


class CoopMembership(models.Model):
    _inherit = "coop.membership"

    def _get_uninvoiced_amount(self):
        """The next service invoice being built (trust account hook): priced by the
        billing engine (``coop.service.pricing._get_uninvoiced_amount``)."""
        self.ensure_one()
        return self.env["coop.service.pricing"]._get_uninvoiced_amount(self)

    def action_coop_invoice_now(self):
        """Staff: issue the service invoice of these members now, whatever the rhythm
        (``coop.billing.run._invoice_now``)."""
        return self.env["coop.billing.run"]._invoice_now(self)

    # ------------------------------------------------------------------
    # final settlement (SPEC 7.4)
    # ------------------------------------------------------------------
    def _coop_on_terminate(self):
        """SPEC 7.4: the end of a membership settles it. The final invoices come first, so
        that the draws on the guarantee the termination makes see them; then the
        settlement sets off, draws, pays out and records its documents. Applications
        that end before the register (refused, withdrawn) have nothing to settle."""
        members = self.filtered(
            lambda m: m.date_registered and m.termination_id.termination_type in ("notice", "fault")
        )
        settlements = self.env["coop.membership.settlement"]._get_or_create(members)
        settlements._settle_invoices()
        res = super()._coop_on_terminate()
        settlements.action_settle()
        return res

    def action_coop_settle(self):
        """Staff: settle the membership at its end date
        (``coop.membership.settlement._settle_membership``)."""
        self.env["coop.membership.settlement"]._settle_membership(self)
        return self.action_view_coop_settlement()

    def action_view_coop_settlement(self):
        return self.env["coop.membership.settlement"]._coop_action_of(self)
