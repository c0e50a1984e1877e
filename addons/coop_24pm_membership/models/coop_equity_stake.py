from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CoopEquityStake(models.Model):
    """Shares of a member's company held by 24PM (ROI 2021 art. 4.4.2, SPEC 2.2).

    During the trial of the Partner plan 24PM may invite the member to transfer shares of
    its company to 24PM at EUR 1 each under a shareholders' agreement. The transfer is
    booked as a vendor bill of the member: the shares are a financial fixed asset
    (Belgian chart 28, by default 284 "other shares") against the payable to the member,
    paid as Odoo pays any payable. Ending the stake (sold or returned) books the reverse.
    """

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
    end_reason = fields.Selection([("sold", "Sold"), ("returned", "Returned to the member")], "Ended by", tracking=True)
    state = fields.Selection(
        [("draft", "To book"), ("held", "Held"), ("ended", "Ended")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    move_id = fields.Many2one(
        "account.move", "Transfer bill", readonly=True, copy=False, help="The member's bill for its shares."
    )
    payment_state = fields.Selection(related="move_id.payment_state", string="Payment")
    end_move_id = fields.Many2one(
        "account.move", "End credit note", readonly=True, copy=False, help="The reverse of the transfer bill."
    )
    agreement_count = fields.Integer("Documents", compute="_compute_agreement_count")
    note = fields.Text()

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "A stake holds at least one share.")

    @api.depends("quantity", "unit_price")
    def _compute_amount(self):
        for stake in self:
            stake.amount = stake.currency_id.round(stake.quantity * stake.unit_price)

    def _compute_agreement_count(self):
        counts = dict(
            self.env["ir.attachment"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        )
        for stake in self:
            stake.agreement_count = counts.get(stake.id, 0)

    @api.constrains("date", "date_end")
    def _check_date_end(self):
        for stake in self.filtered("date_end"):
            if stake.date_end < stake.date:
                raise ValidationError(
                    self.env._("ROI 2021 art. 4.4.2: a stake cannot end before it was acquired (%s).", stake.date)
                )

    @api.constrains("unit_price")
    def _check_unit_price(self):
        for stake in self:
            if stake.currency_id.compare_amounts(stake.unit_price, 0.0) <= 0:
                raise ValidationError(self.env._("ROI 2021 art. 4.4.2: the transfer price per share must be positive."))

    def _check_may_hold_stake(self):
        """Who may transfer shares to 24PM: the member's contract decides (ROI 2021 art.
        4.4.2). Here, a stake belongs to the membership of that company; the plans addon
        adds that only the Partner plan of the 2021 regulation allows it."""
        for stake in self:
            membership = stake.membership_id
            if not membership or membership.partner_id.commercial_partner_id != stake.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "ROI 2021 art. 4.4.2: 24PM holds shares only in a member company, under its membership; "
                        "choose the membership of %s.",
                        stake.partner_id.display_name,
                    )
                )

    @api.constrains("membership_id", "partner_id", "date")
    def _check_membership(self):
        self._check_may_hold_stake()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_booked(self):
        if any(stake.move_id for stake in self):
            raise UserError(self.env._("A booked stake cannot be deleted: end it, which books the reverse."))

    # ------------------------------------------------------------------
    # booking
    # ------------------------------------------------------------------
    def _get_agreements(self):
        self.ensure_one()
        return self.env["ir.attachment"].search([("res_model", "=", self._name), ("res_id", "=", self.id)])

    def action_book(self):
        """Book the transfer of the shares: the member's bill (28x against its payable), posted."""
        for stake in self:
            if stake.state != "draft":
                raise UserError(self.env._("Only a stake still to book can be booked."))
            if not stake._get_agreements():
                raise UserError(
                    self.env._(
                        "ROI 2021 art. 4.4.2: attach the signed shareholders' agreement to the stake in %s "
                        "before booking the transfer of its shares.",
                        stake.partner_id.display_name,
                    )
                )
            stake._check_may_hold_stake()
            account = stake.company_id._coop_get_equity_stake_account()
            journal = stake.company_id._coop_get_purchase_journal()
            move = self.env["account.move"].create(stake._prepare_transfer_bill_vals(account, journal))
            move._coop_post()
            stake.write({"move_id": move.id, "state": "held"})
        return True

    def _prepare_transfer_bill_vals(self, account, journal):
        self.ensure_one()
        return {
            "move_type": "in_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "invoice_date": self.date,
            "date": self.date,
            "ref": self.agreement_ref or self.env._("Shareholders' agreement"),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._(
                            "Shares of %(company)s transferred to 24PM (ROI 2021 art. 4.4.2)",
                            company=self.partner_id.display_name,
                        ),
                        "quantity": self.quantity,
                        "price_unit": self.unit_price,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def action_register_payment(self):
        """Pay the member for its shares as Odoo pays any bill."""
        self.ensure_one()
        if not self.move_id:
            raise UserError(self.env._("Book the transfer before paying it."))
        return self.move_id.action_register_payment()

    def action_end(self):
        """The stake is sold or returned: the reverse of the transfer bill, posted on the end date."""
        for stake in self:
            if stake.state != "held":
                raise UserError(self.env._("Only a stake held by 24PM can end."))
            if not stake.date_end or not stake.end_reason:
                raise UserError(self.env._("Set the date on which the stake was sold or returned, and how."))
            end_move = stake.move_id._reverse_moves(
                [
                    {
                        "date": stake.date_end,
                        "invoice_date": stake.date_end,
                        "ref": self.env._(
                            "End of the stake in %(company)s (%(reason)s)",
                            company=stake.partner_id.display_name,
                            reason=dict(stake._fields["end_reason"]._description_selection(self.env))[stake.end_reason],
                        ),
                    }
                ]
            )
            end_move._coop_post()
            stake.write({"end_move_id": end_move.id, "state": "ended"})
        return True

    def action_open_moves(self):
        self.ensure_one()
        moves = self.move_id | self.end_move_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
        }
