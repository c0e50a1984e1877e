from odoo import fields, models


class ContractContract(models.Model):
    """The plan subscription of a member is an OCA contract (SPEC 3.1): one line per plan
    period, billed on periods anchored on the contract's anniversary date."""

    _inherit = "contract.contract"

    coop_membership_id = fields.Many2one("coop.membership", "Membership", index=True, readonly=True, copy=False)
    coop_anchor_date = fields.Date(
        "Anniversary date",
        copy=False,
        help="Billing periods start on this date's day of the month (monthly) or anniversary (annual).",
    )

    def _prepare_invoice(self, date_invoice, journal=None):
        vals = super()._prepare_invoice(date_invoice, journal=journal)
        if self.coop_membership_id:
            vals.update(
                {
                    "coop_membership_id": self.coop_membership_id.id,
                    "coop_invoice_kind": "contribution_annual"
                    if self.coop_membership_id.commitment == "annual"
                    else "contribution",
                }
            )
        return vals

    def _recurring_create_invoice(self, date_ref=False):
        """Contribution invoices are posted at once: every money movement is a posted entry."""
        moves = super()._recurring_create_invoice(date_ref=date_ref)
        moves.filtered(lambda m: m.coop_membership_id and m.state == "draft")._coop_post()
        return moves
