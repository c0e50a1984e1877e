from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

SIGNS = {"subscription": 1, "transfer_in": 1, "buyback": -1, "transfer_out": -1}


class CoopShareLine(models.Model):
    """An entry of the shareholders' register (art. 2, 4.1, 4.4.2).

    Subscriptions and buy-backs post a real journal entry (an invoice or a credit
    note on the capital account, receivable counterpart) so that the balance sheet
    shows the capital; a transfer between holders changes no capital and posts
    nothing (it is two register entries, out and in).
    """

    _name = "coop.share.line"
    _description = "Share register entry"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char("Entry", readonly=True, copy=False, default="/")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    partner_id = fields.Many2one("res.partner", "Holder", required=True, index=True, tracking=True)
    membership_id = fields.Many2one("coop.membership", index=True, ondelete="restrict")
    share_class_id = fields.Many2one("coop.share.class", "Class", required=True)
    operation = fields.Selection(
        [
            ("subscription", "Subscription"),
            ("buyback", "Buy-back"),
            ("transfer_out", "Transfer (out)"),
            ("transfer_in", "Transfer (in)"),
        ],
        required=True,
    )
    quantity = fields.Integer(required=True, default=1)
    quantity_signed = fields.Integer(compute="_compute_quantity_signed", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    nominal_value = fields.Monetary(required=True)
    amount = fields.Monetary(compute="_compute_amount", store=True)
    board_mandate = fields.Char(
        default=lambda self: self.env._("Signed by the board of directors, by mandate"),
        help="The board signs the register by mandate at entry and exit.",
    )
    counterpart_line_id = fields.Many2one("coop.share.line", "Transfer counterpart", readonly=True)
    move_id = fields.Many2one("account.move", "Journal entry", readonly=True, copy=False)

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "A register entry needs a positive quantity.")

    @api.depends("operation", "quantity")
    def _compute_quantity_signed(self):
        for line in self:
            line.quantity_signed = SIGNS.get(line.operation, 0) * line.quantity

    @api.depends("quantity", "nominal_value")
    def _compute_amount(self):
        for line in self:
            line.amount = line.currency_id.round(line.quantity * line.nominal_value)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.share.line") or "/"
            if "nominal_value" not in vals and vals.get("share_class_id"):
                vals["nominal_value"] = self.env["coop.share.class"].browse(vals["share_class_id"]).nominal_value
        lines = super().create(vals_list)
        lines._check_holdings()
        return lines

    def write(self, vals):
        if self.filtered("move_id") and set(vals) & {
            "partner_id",
            "share_class_id",
            "quantity",
            "nominal_value",
            "operation",
            "date",
        }:
            raise UserError(self.env._("A posted register entry cannot be changed: record a correcting entry."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered("move_id"):
            raise UserError(self.env._("A posted register entry cannot be deleted."))

    def _check_holdings(self):
        """A holder can never sell or transfer more shares of a class than it holds."""
        outgoing = self.filtered(lambda line: line.quantity_signed < 0)
        if not outgoing:
            return
        held = self._get_holdings(partners=outgoing.partner_id)
        for line in outgoing:
            if held.get((line.partner_id.id, line.share_class_id.id), 0) < 0:
                raise ValidationError(
                    self.env._(
                        "%(holder)s does not hold enough %(cls)s shares for this entry.",
                        holder=line.partner_id.display_name,
                        cls=line.share_class_id.name,
                    )
                )

    @api.model
    def _coop_b_share_lines(self, partner):
        """The register's entries of ``partner``'s B share(s) (its share certificate), oldest
        first."""
        return self.sudo().search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("share_class_id", "=", self.env.ref("coop_24pm_membership.share_class_b").id),
            ],
            order="date, id",
        )

    @api.model
    def _coop_subscribe_b_shares(self, memberships, date):
        """SPEC 2.1.4: the entry in the register that concludes each of ``memberships``'
        contracts: one B share subscribed at its nominal value, posted to capital."""
        b_class = self.env.ref("coop_24pm_membership.share_class_b")
        lines = self.create(
            [
                {
                    "date": date,
                    "partner_id": membership.partner_id.id,
                    "membership_id": membership.id,
                    "share_class_id": b_class.id,
                    "operation": "subscription",
                    "quantity": 1,
                    "company_id": membership.company_id.id,
                    # subscribed online: the B share was invoiced at signature, the entry reuses it
                    "move_id": membership.application_id.join_share_move_id.id,
                }
                for membership in memberships
            ]
        )
        lines._post_move()
        return lines

    @api.model
    def _coop_buy_back_b_shares(self, memberships, date):
        """Art. 4.4.2: at the end of ``memberships``, the B shares their companies hold are
        bought back at their nominal value (EUR 1), posted."""
        b_class = self.env.ref("coop_24pm_membership.share_class_b")
        holdings = self._get_holdings(partners=memberships.partner_id, share_class=b_class)
        buyback_vals = []
        for membership in memberships:
            held = holdings.get((membership.partner_id.id, b_class.id), 0)
            if held > 0:
                buyback_vals.append(
                    {
                        "date": date,
                        "partner_id": membership.partner_id.id,
                        "membership_id": membership.id,
                        "share_class_id": b_class.id,
                        "operation": "buyback",
                        "quantity": held,
                        "company_id": membership.company_id.id,
                    }
                )
        buybacks = self.create(buyback_vals)
        buybacks._post_move()
        return buybacks

    @api.model
    def _get_holdings(self, on_date=None, partners=None, share_class=None):
        """{(partner_id, class_id): shares held} on ``on_date`` (all dates when None), one query."""
        domain = []
        if on_date:
            domain.append(("date", "<=", on_date))
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        if share_class:
            domain.append(("share_class_id", "in", share_class.ids))
        groups = self._read_group(domain, ["partner_id", "share_class_id"], ["quantity_signed:sum"])
        return {(partner.id, cls.id): qty for partner, cls, qty in groups}

    # ------------------------------------------------------------------
    # accounting
    # ------------------------------------------------------------------
    def _prepare_move_vals(self):
        self.ensure_one()
        company = self.company_id
        account = company._coop_get_capital_account()
        journal = company._coop_get_share_journal()
        # the document speaks the holder's language (SPEC 7.6)
        self_lang = self.with_context(lang=self.partner_id.lang or self.env.lang)
        label = self_lang.env._(
            "%(cls)s share(s) - register entry %(entry)s", cls=self_lang.share_class_id.name, entry=self.name
        )
        return {
            "move_type": "out_invoice" if self.operation == "subscription" else "out_refund",
            "partner_id": self.partner_id.id,
            "journal_id": journal.id,
            "invoice_date": self.date,
            "company_id": company.id,
            "ref": self.name,
            "coop_is_call_for_funds": True,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": self.quantity,
                        "price_unit": self.nominal_value,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _post_move(self):
        """Subscription: invoice on the capital account; buy-back: credit note, reconciled
        with the subscription invoice while that one is still open."""
        for line in self.filtered(lambda line: line.operation in ("subscription", "buyback") and not line.move_id):
            move = self.env["account.move"].create(line._prepare_move_vals())
            move._coop_post()
            line.move_id = move
            if line.operation == "buyback":
                subscription_moves = self.search(
                    [
                        ("partner_id", "=", line.partner_id.id),
                        ("share_class_id", "=", line.share_class_id.id),
                        ("operation", "=", "subscription"),
                        ("move_id", "!=", False),
                    ]
                ).move_id
                open_lines = (subscription_moves.line_ids | move.line_ids).filtered(
                    lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
                )
                if len(open_lines) > 1 and subscription_moves.filtered(lambda m: m.payment_state == "not_paid"):
                    open_lines.reconcile()
        return True

    @api.model
    def _transfer(self, from_partner, to_partner, share_class, quantity, date=None, board_mandate=None):
        """Transfer of shares between holders (art. 4.4.2): two register entries, out and in,
        linked to each other. The capital does not change, so nothing is posted."""
        if from_partner == to_partner:
            raise UserError(self.env._("A transfer needs two different holders."))
        if quantity <= 0:
            raise UserError(self.env._("Transfer at least one share."))
        common = {
            "date": fields.Date.to_date(date) or fields.Date.context_today(self),
            "share_class_id": share_class.id,
            "quantity": quantity,
        }
        if board_mandate:
            common["board_mandate"] = board_mandate
        out_line, in_line = self.create(
            [
                {**common, "partner_id": from_partner.id, "operation": "transfer_out"},
                {**common, "partner_id": to_partner.id, "operation": "transfer_in"},
            ]
        )
        out_line.counterpart_line_id = in_line
        in_line.counterpart_line_id = out_line
        return out_line | in_line
