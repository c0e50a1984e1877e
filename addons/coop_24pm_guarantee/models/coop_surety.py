from odoo import fields, models


class CoopSurety(models.Model):
    """A personal surety (art. 7): a person who stands surety for a member by a separate
    contract. Issue 21: its facts were fields of ``coop.membership``; a surety is a thing of
    its own, linked to the membership it secures."""

    _name = "coop.surety"
    _description = "Personal surety"
    _order = "membership_id, id"

    membership_id = fields.Many2one("coop.membership", "Membership", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    guarantee_id = fields.Many2one(related="membership_id.guarantee_id", store=True, index="btree_not_null")
    currency_id = fields.Many2one(related="membership_id.currency_id")
    name = fields.Char(
        "Personal surety", required=True, help="Person who stands surety for the member (separate contract)."
    )
    amount = fields.Monetary("Surety amount")
    contract = fields.Binary("Surety contract", attachment=True)
    contract_name = fields.Char("Surety Contract Name")
