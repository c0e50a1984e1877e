from odoo import fields, models

#: the documents of a settlement, in the order they are issued
LINE_KINDS = [
    ("service", "Final service invoice"),
    ("contribution", "Contribution up to the end date"),
    ("indemnity", "Fault indemnity (art. 10)"),
    ("buyback", "B share bought back"),
    ("draw", "Drawn from the guarantee"),
]


class CoopMembershipSettlementLine(models.Model):
    """A document of a final settlement: a posted invoice, credit note or guarantee draw."""

    _name = "coop.membership.settlement.line"
    _description = "Document of a final settlement"
    _order = "settlement_id, id"

    settlement_id = fields.Many2one("coop.membership.settlement", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(LINE_KINDS, required=True)
    name = fields.Char("Reference")
    move_id = fields.Many2one("account.move", "Journal entry", index="btree_not_null")
    guarantee_move_id = fields.Many2one("coop.guarantee.move", "Guarantee movement", index="btree_not_null")
    payment_state = fields.Selection(related="move_id.payment_state", string="Payment")
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    amount = fields.Monetary(
        help="Effect on what the member owes: an invoice adds, a credit note or a draw from the guarantee deducts."
    )
