from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import float_is_zero

from odoo.addons.coop_24pm_membership.models.coop_membership import MEMBER_STATES


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    coop_is_prepayment = fields.Boolean("Prepayment invoice", readonly=True, copy=False)

    @api.model
    def _coop_consumption_domain(self):
        """A prepayment is an advance on work, not the work (SPEC 3.3)."""
        return super()._coop_consumption_domain() & Domain("coop_is_prepayment", "=", False)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        invoices = posted.filtered(lambda m: m.move_type == "out_invoice" and not m.coop_is_prepayment)
        if invoices:
            memberships = (
                self.env["coop.membership"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", invoices.commercial_partner_id.ids),
                        ("coop_payment_mode", "=", "prepayment"),
                        ("state", "in", MEMBER_STATES),
                    ]
                )
            )
            # only the members that have prepayments to apply (two queries for all of them)
            available = memberships._get_prepayment_account()._get_available_amounts()
            memberships = memberships.filtered(
                lambda m: not float_is_zero(available.get(m.id, 0.0), precision_rounding=m.currency_id.rounding)
            )
            for account in memberships._get_prepayment_account():
                account._apply(invoices.filtered(lambda m, p=account.partner_id: m.commercial_partner_id == p))
        return posted
