from odoo import api, fields, models
from odoo.fields import Domain


class ContractContract(models.Model):
    """Prepayments (art. 6.1) are an OCA contract of the member: one line on the advances
    account, at the agreed amount and frequency. Its invoices are prepayment invoices,
    posted at once; the scheduled prepayment run of the members (not the contract's own
    scheduled action) invoices them, so that the payment mode and the member's state
    decide (``coop.prepayment.account._cron_prepayments``)."""

    _inherit = "contract.contract"

    coop_prepayment_membership_id = fields.Many2one(
        "coop.membership", "Prepayments of", index="btree_not_null", readonly=True, copy=False
    )

    def _prepare_invoice(self, date_invoice, journal=None):
        vals = super()._prepare_invoice(date_invoice, journal=journal)
        if self.coop_prepayment_membership_id:
            # the member company itself, as the prepayment invoices always were
            vals.update(
                {
                    "partner_id": self.coop_prepayment_membership_id.partner_id.id,
                    "coop_is_prepayment": True,
                    "invoice_origin": False,
                    "ref": False,
                }
            )
        return vals

    def _recurring_create_invoice(self, date_ref=False):
        """Prepayment invoices are posted at once: every money movement is a posted entry."""
        moves = super()._recurring_create_invoice(date_ref=date_ref)
        moves.filtered(lambda m: m.coop_is_prepayment and m.state == "draft")._coop_post()
        return moves

    @api.model
    def _get_contracts_to_invoice_domain(self, date_ref=None):
        """The contract's scheduled action leaves out the prepayment contracts: the
        members' prepayment run invoices them."""
        return Domain(super()._get_contracts_to_invoice_domain(date_ref)) & Domain(
            "coop_prepayment_membership_id", "=", False
        )
