from odoo import api, models


class CoopPersonalDataExport(models.AbstractModel):
    """Issue 16: the member's own data adds its invoices, guarantee and disputes (for an
    agent with the finance right)."""

    _inherit = "coop.personal.data.export"

    @api.model
    def _tables(self, membership, agent):
        data = super()._tables(membership, agent)
        if not agent.coop_has_finance_right:
            return data
        company = membership.partner_id.commercial_partner_id
        memberships = company.sudo().coop_membership_ids
        data["invoices"] = self._rows(
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ],
                order="invoice_date, id",
            ),
            [
                "name",
                "move_type",
                "invoice_date",
                "invoice_date_due",
                "payment_reference",
                "amount_untaxed",
                "amount_total",
                "amount_residual",
                "payment_state",
            ],
        )
        data["guarantee"] = self._rows(
            self.env["coop.guarantee.move"].sudo().search([("membership_id", "in", memberships.ids)], order="date, id"),
            ["name", "date", "operation", "state", "amount"],
        )
        data["disputes"] = self._rows(
            self.env["coop.invoice.dispute"].sudo().search([("partner_id", "=", company.id)], order="date, id"),
            ["name", "date", "invoice_id", "amount", "state", "date_answer"],
        )
        return data
