from odoo import api, fields, models


class CoopMemberInvoiceMixin(models.AbstractModel):
    """A matter of one of the member's posted invoices (its dispute, its rejected direct
    debit): the invoice, the member company and its latest membership, one rule for both."""

    _name = "coop.member.invoice.mixin"
    _description = "Matter of a member's invoice"

    invoice_id = fields.Many2one(
        "account.move",
        "Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    )
    partner_id = fields.Many2one(related="invoice_id.commercial_partner_id", store=True, index=True, string="Member")
    membership_id = fields.Many2one("coop.membership", compute="_compute_membership_id", store=True, index=True)
    company_id = fields.Many2one(related="invoice_id.company_id", store=True)

    @api.depends("partner_id")
    def _compute_membership_id(self):
        latest = self.env["coop.membership"]._get_latest_by_partner(self.partner_id)
        for record in self:
            record.membership_id = latest.get(record.partner_id.id, self.env["coop.membership"])
