from odoo import api, fields, models


class CoopEquityStake(models.Model):
    """Shares of a member's company held by 24PM (Partner plan, SPEC 2.2)."""

    _name = "coop.equity.stake"
    _description = "Equity held by 24PM in a member company"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", "Member company", required=True, index=True, domain=[("is_company", "=", True)], tracking=True
    )
    membership_id = fields.Many2one("coop.membership", index=True)
    date = fields.Date("Acquired on", required=True, default=fields.Date.context_today, tracking=True)
    quantity = fields.Integer("Shares", required=True, default=1, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_price = fields.Monetary(default=1.0, help="Transfer price per share (EUR 1 under the Partner plan).")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    percentage = fields.Float("Share of capital (%)", digits=(5, 2))
    agreement_ref = fields.Char("Shareholders' agreement")
    date_end = fields.Date("Sold or returned on", tracking=True)
    state = fields.Selection([("held", "Held"), ("ended", "Ended")], compute="_compute_state", store=True)
    note = fields.Text()

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "A stake holds at least one share.")

    @api.depends("quantity", "unit_price")
    def _compute_amount(self):
        for stake in self:
            stake.amount = stake.currency_id.round(stake.quantity * stake.unit_price)

    @api.depends("date_end")
    def _compute_state(self):
        for stake in self:
            stake.state = "ended" if stake.date_end else "held"
