from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount

#: sign of each movement on the guarantee balance (credit of the deposits account = +)
SIGNS = {"receipt": 1, "topup": 1, "draw": -1, "refund": -1}


class CoopGuaranteeMove(models.Model):
    """A movement of a member's guarantee account (art. 7; SPEC 4.1, 7.2).

    Every posted movement is booked on the deposits received account (488000) with the
    member as partner: the balance shown anywhere is read back from those journal items,
    never from a counter. The suite never posts on a bank account (SPEC 7.2):

    - a receipt or top-up is a call for funds on the member's receivable, paid like an
      invoice (bank statement, structured communication) and held once paid;
    - a draw is an entry between the deposits account and the receivable of the unpaid
      invoice it settles, reconciled with it;
    - a refund is a credit note on the deposits account, paid by an outgoing SEPA credit
      transfer (OCA payment order) reconciled with it.
    """

    _name = "coop.guarantee.move"
    _description = "Guarantee movement"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char("Reference", readonly=True, copy=False, default="/")
    membership_id = fields.Many2one("coop.membership", required=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    guarantee_id = fields.Many2one(related="membership_id.guarantee_id", store=True, index="btree_not_null")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    operation = fields.Selection(
        [
            ("receipt", "Guarantee received"),
            ("topup", "Top-up"),
            ("draw", "Draw for unpaid sums"),
            ("refund", "Refund"),
        ],
        required=True,
        default="receipt",
        tracking=True,
    )
    payment_method = fields.Selection(
        [("transfer", "Bank transfer"), ("direct_debit", "Direct debit")],
        default="transfer",
    )
    amount = fields.Monetary(required=True, tracking=True)
    amount_signed = fields.Monetary(compute="_compute_amount_signed", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("requested", "Requested"), ("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    requested_by_id = fields.Many2one("res.users", "Requested by", readonly=True)
    invoice_id = fields.Many2one(
        "account.move",
        "Invoice settled",
        help="For a draw: the unpaid invoice settled from the guarantee.",
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    )
    move_id = fields.Many2one("account.move", "Journal entry", readonly=True, copy=False)
    note = fields.Text()

    _amount_positive = models.Constraint("CHECK(amount > 0)", "A guarantee movement needs a positive amount.")

    @api.depends("operation", "amount")
    def _compute_amount_signed(self):
        for move in self:
            move.amount_signed = SIGNS.get(move.operation, 0) * move.amount

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.guarantee.move") or "/"
        moves = super().create(vals_list)
        moves._check_total_paid()
        return moves

    def write(self, vals):
        if self.filtered(lambda m: m.state == "posted") and set(vals) & {
            "amount",
            "operation",
            "membership_id",
            "date",
        }:
            raise UserError(self.env._("A posted guarantee movement cannot be changed: record a correcting one."))
        res = super().write(vals)
        if set(vals) & {"amount", "operation"}:
            self._check_total_paid()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda m: m.state == "posted"):
            raise UserError(self.env._("A posted guarantee movement cannot be deleted."))

    def _check_total_paid(self):
        """Art. 7.1: the member may top the guarantee up as long as the total paid never
        exceeds the regulation's maximum (EUR 10,000); pending requests count."""
        incoming = self.filtered(lambda m: m.operation in ("receipt", "topup") and m.state != "cancel")
        for membership in incoming.membership_id:
            regulation = membership.regulation_id
            currency = membership.currency_id
            pending = self.search(
                [
                    ("membership_id", "=", membership.id),
                    ("operation", "in", ("receipt", "topup")),
                    ("state", "in", ("requested", "draft")),
                ]
            )
            total = (
                membership._get_guarantee_paid()
                + sum(pending.mapped("amount"))
                + membership.guarantee_id._coop_invoiced_unpaid()
            )
            if float_compare(total, regulation.guarantee_max, precision_rounding=currency.rounding) > 0:
                own = sum(incoming.filtered(lambda m, ms=membership: m.membership_id == ms).mapped("amount"))
                raise UserError(
                    self.env._(
                        "The guarantee of %(member)s cannot exceed %(max)s in total: %(held)s is held or "
                        "requested already, so at most %(left)s can still be paid.",
                        member=membership.partner_id.display_name,
                        max=self._format(regulation.guarantee_max, currency),
                        held=self._format(total - own, currency),
                        left=self._format(max(regulation.guarantee_max - (total - own), 0.0), currency),
                    )
                )

    def _format(self, amount, currency):
        return format_amount(self.env, amount, currency)

    # ------------------------------------------------------------------
    # accounting
    # ------------------------------------------------------------------
    def _prepare_move_vals(self):
        """The entry of a draw: from the deposits account to the receivable it settles."""
        self.ensure_one()
        company = self.company_id
        deposits = company._coop_get_guarantee_account()
        partner = self.partner_id.commercial_partner_id
        labels = dict(self._fields["operation"]._description_selection(self.env))
        label = self.env._(
            "%(op)s - %(member)s (%(ref)s)", op=labels[self.operation], member=partner.name, ref=self.name
        )
        sign = SIGNS[self.operation]
        counterpart = self._get_draw_receivable_lines()[:1].account_id or partner.property_account_receivable_id
        deposit_line = {
            "name": label,
            "account_id": deposits.id,
            "partner_id": partner.id,
            "debit": self.amount if sign < 0 else 0.0,
            "credit": self.amount if sign > 0 else 0.0,
        }
        counter_line = {
            "name": label,
            "account_id": counterpart.id,
            "partner_id": partner.id,
            "debit": self.amount if sign > 0 else 0.0,
            "credit": self.amount if sign < 0 else 0.0,
        }
        return {
            "move_type": "entry",
            "journal_id": company._coop_get_guarantee_journal().id,
            "date": self.date,
            "ref": label,
            "company_id": company.id,
            "partner_id": partner.id,
            "line_ids": [Command.create(deposit_line), Command.create(counter_line)],
        }

    def _prepare_call_for_funds_vals(self):
        """A receipt or top-up (call for funds) or a refund (credit note), on the deposits account."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id
        labels = dict(self._fields["operation"]._description_selection(self.env))
        label = self.env._(
            "%(op)s - %(member)s (%(ref)s)", op=labels[self.operation], member=partner.name, ref=self.name
        )
        return {
            "move_type": "out_refund" if self.operation == "refund" else "out_invoice",
            "partner_id": partner.id,
            "journal_id": company._coop_get_guarantee_invoice_journal().id,
            "invoice_date": self.date,
            "date": self.date,
            "company_id": company.id,
            "ref": self.name,
            "invoice_origin": self.membership_id.name,
            "coop_guarantee_invoice": True,
            "coop_is_call_for_funds": True,
            # a refund is paid out by 24PM: late, it bears the interest and penalty of art. 6.4.2
            "coop_pays_out": self.operation == "refund",
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": 1,
                        "price_unit": self.amount,
                        "account_id": company._coop_get_guarantee_account().id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _coop_pay_out_refund(self):
        """Put the refund in the draft SEPA credit transfer order of the company (OCA's own
        "Add to payment order"); without a mode or a member IBAN, staff get an activity."""
        self.ensure_one()
        return bool(
            self.move_id._coop_pay_out_by_transfer(
                self.env.user, lambda user_env: user_env._("Pay the guarantee refund")
            )
        )

    def _get_draw_receivable_lines(self):
        return self.invoice_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )

    def action_post(self):
        """Post the journal entry; a draw is reconciled with the invoice it settles."""
        for gmove in self:
            if gmove.state not in ("requested", "draft"):
                raise UserError(self.env._("Only a requested or draft movement can be posted."))
            currency = gmove.currency_id
            if gmove.operation in ("draw", "refund"):
                balance = gmove.membership_id._get_guarantee_paid()
                if float_compare(gmove.amount, balance, precision_rounding=currency.rounding) > 0:
                    raise UserError(
                        self.env._(
                            "Only %(balance)s is held on the guarantee of %(member)s.",
                            balance=self._format(balance, currency),
                            member=gmove.partner_id.display_name,
                        )
                    )
            if gmove.operation == "draw":
                if not gmove.invoice_id:
                    raise UserError(self.env._("Say which unpaid invoice the draw settles."))
                gmove._get_draw_receivable_lines()._coop_check_may_be_settled_otherwise()
                due = gmove.invoice_id._coop_get_undisputed_residual()
                if float_compare(gmove.amount, due, precision_rounding=currency.rounding) > 0:
                    raise UserError(
                        self.env._(
                            "Only %(due)s of %(inv)s is due and not disputed: a disputed amount is never "
                            "drawn from the guarantee.",
                            due=self._format(due, currency),
                            inv=gmove.invoice_id.name,
                        )
                    )
            gmove.write({"state": "draft"})
            gmove._check_total_paid()
            if gmove.operation == "draw":
                move = self.env["account.move"].create(gmove._prepare_move_vals())
            else:
                move = self.env["account.move"].create(gmove._prepare_call_for_funds_vals())
            move._coop_post()
            gmove.write({"move_id": move.id, "state": "posted"})
            if gmove.operation == "refund":
                gmove._coop_pay_out_refund()
            if gmove.operation == "draw":
                receivable = gmove._get_draw_receivable_lines()
                account = receivable[:1].account_id
                counter = move.line_ids.filtered(lambda line, acc=account: line.account_id == acc)
                (receivable | counter).reconcile()
        return True

    def action_cancel(self):
        if self.filtered(lambda m: m.state == "posted"):
            raise UserError(self.env._("A posted guarantee movement cannot be cancelled: record a correcting one."))
        self.write({"state": "cancel"})
        return True

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
