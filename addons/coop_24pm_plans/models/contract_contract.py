from odoo import api, fields, models
from odoo.fields import Domain


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

    @api.model
    def _cron_recurring_create(self, date_ref=False, create_type="invoice"):
        """Contributions are posted at once: the scheduled run leaves out the members'
        contracts of a company whose Cooperative configuration is incomplete."""
        contracts = self.with_context(coop_invoicing_cron=True) if create_type == "invoice" else self
        # super() of the recordset with the context
        return super(ContractContract, contracts)._cron_recurring_create(  # noqa: UP008
            date_ref=date_ref, create_type=create_type
        )

    def _get_contracts_to_invoice_domain(self, date_ref=None):
        domain = Domain(super()._get_contracts_to_invoice_domain(date_ref))
        # SPEC 7.4 "contribution invoices": by the membership's state
        domain &= self.env["coop.membership"]._coop_billable_contribution_domain("coop_membership_id")
        if self.env.context.get("coop_invoicing_cron"):
            # every company: the scheduled action invoices the contracts of all of them
            companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
            ready = self.env["res.company"]._coop_ready_companies("Cooperative contribution invoicing", companies)
            not_ready = companies - ready
            if not_ready:
                domain &= Domain("coop_membership_id", "=", False) | Domain("company_id", "not in", not_ready.ids)
        return Domain(domain)
