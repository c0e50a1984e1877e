from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount, format_date


class CoopMembershipSettlement(models.Model):
    """The final settlement of a membership at its end date (SPEC 7.4; art. 4.4.2, 7.2,
    7.3, 9, 10).

    One per membership, issued when the contract ends (after notice, or for serious
    fault), by the job that terminates the contracts whose notice has run out or by
    staff. It lists the documents it issued, each a posted entry: the final service
    invoice of everything not invoiced yet (the billing engine), the contribution up to
    the end date, pro rata (the subscription contract), the fault indemnity, the B share
    bought back at EUR 1.00 (set off against open invoices or paid by transfer), and
    the undisputed sums drawn from the guarantee; the balance of the guarantee is
    refunded when the member asks for it, within the regulation's delay. Settling twice
    settles once: a settled record is left alone and each step only issues what is
    missing."""

    _name = "coop.membership.settlement"
    _description = "Final settlement of a membership"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    membership_id = fields.Many2one("coop.membership", required=True, readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True, string="Member")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    termination_type = fields.Selection(related="membership_id.termination_id.termination_type")
    date_end = fields.Date("End of the contract", required=True, readonly=True)
    date = fields.Date("Settled on", readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        [("draft", "To settle"), ("done", "Settled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many("coop.membership.settlement.line", "settlement_id", "Documents", readonly=True)
    amount_invoiced = fields.Monetary(
        "Invoiced at the end",
        compute="_compute_amounts",
        store=True,
        help="Final service invoice, contribution up to the end date and indemnity, VAT included, less the credit "
        "notes of the settlement (the contribution paid beyond the end date, an indemnity owed by 24PM).",
    )
    amount_buyback = fields.Monetary("B share bought back", compute="_compute_amounts", store=True)
    amount_drawn = fields.Monetary("Drawn from the guarantee", compute="_compute_amounts", store=True)
    amount_open = fields.Monetary(
        "Still due by the member",
        compute="_compute_live_amounts",
        help="What the member's receivable still shows as due (invoices less credit notes), read live.",
    )
    guarantee_balance = fields.Monetary(
        "Guarantee to refund", compute="_compute_live_amounts", help="Balance of the deposits account, read live."
    )
    guarantee_refund_months = fields.Integer(related="membership_id.regulation_id.guarantee_refund_months")
    guarantee_refund_state = fields.Selection(
        related="membership_id.guarantee_id.refund_ids.state", string="Guarantee Refund State"
    )
    guarantee_refund_deadline = fields.Date(related="membership_id.guarantee_id.refund_ids.date_deadline")
    non_solicitation_end = fields.Date(related="membership_id.termination_id.non_solicitation_end")

    _membership_uniq = models.Constraint(
        "UNIQUE(membership_id)", "A membership is settled once: it already has its settlement."
    )

    @api.depends("line_ids.kind", "line_ids.amount")
    def _compute_amounts(self):
        for settlement in self:
            lines = settlement.line_ids
            currency = settlement.currency_id
            settlement.amount_invoiced = currency.round(
                sum(lines.filtered(lambda line: line.kind in ("service", "contribution", "indemnity")).mapped("amount"))
            )
            settlement.amount_buyback = currency.round(
                -sum(lines.filtered(lambda line: line.kind == "buyback").mapped("amount"))
            )
            settlement.amount_drawn = currency.round(
                -sum(lines.filtered(lambda line: line.kind == "draw").mapped("amount"))
            )

    def _compute_live_amounts(self):
        for settlement in self:
            membership = settlement.membership_id.sudo()
            settlement.guarantee_balance = membership._get_guarantee_paid()
            settlement.amount_open = settlement._get_open_balance()

    def _get_open_balance(self):
        """The member's receivable still open (invoices less credit notes), in one query."""
        self.ensure_one()
        membership = self.membership_id.sudo()
        residual = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self.env["account.move.line"]._coop_receivable_domain(membership, open_only=True),
                [],
                ["amount_residual:sum"],
            )[0][0]
        )
        return self.currency_id.round(residual or 0.0)

    # ------------------------------------------------------------------
    # creation
    # ------------------------------------------------------------------
    @api.model
    def _coop_of(self, membership):
        """The settlement of ``membership`` (SPEC 7.4: the one issued at the end of its
        contract), empty until it ends; read as superuser, as the member's pages show it."""
        return self.sudo().search([("membership_id", "=", membership.id)], limit=1)

    @api.model
    def _coop_action_of(self, membership):
        """The form of ``membership``'s settlement (the member's smart button); refused while
        there is none."""
        membership.ensure_one()
        settlement = self._coop_of(membership)
        if not settlement:
            raise UserError(self.env._("%s has no final settlement yet.", membership.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership.settlement",
            "res_id": settlement.id,
            "view_mode": "form",
            "name": settlement.name,
        }

    @api.model
    def _get_or_create(self, memberships):
        """The settlement of each membership, created (to settle) where none exists."""
        existing = self.sudo().search([("membership_id", "in", memberships.ids)])
        missing = memberships - existing.membership_id
        created = self.sudo().create(
            [
                {
                    "name": self.env._("Final settlement %(ref)s", ref=membership.name),
                    "membership_id": membership.id,
                    "date_end": membership.date_end or membership.termination_id.date_terminated,
                }
                for membership in missing
            ]
        )
        return existing | created

    @api.model
    def _settle_membership(self, membership):
        """Staff: settle ``membership`` at its end date. A membership whose notice has run
        out is terminated (which settles it); a terminated one gets what is missing of
        its settlement. Running it twice settles once."""
        membership.ensure_one()
        today = fields.Date.context_today(membership)
        if membership.state == "notice" and membership.date_end and membership.date_end <= today:
            membership.action_terminate(date=membership.date_end, termination_type="notice")
        elif membership.state == "terminated" and membership.date_registered:
            self._get_or_create(membership).action_settle()
        else:
            raise UserError(
                self.env._(
                    "%(ref)s is settled at the end of its contract: give notice or terminate it first; a contract "
                    "under notice is settled from its end date.",
                    ref=membership.name,
                )
            )

    # ------------------------------------------------------------------
    # the steps (each issues only what is missing)
    # ------------------------------------------------------------------
    def _add_lines(self, kind, moves=None, guarantee_moves=None):
        """Record the documents of one step that are not on the settlement yet."""
        self.ensure_one()
        Line = self.env["coop.membership.settlement.line"].sudo()
        vals = []
        for move in (moves or self.env["account.move"]) - self.line_ids.move_id:
            sign = -1 if move.move_type == "out_refund" else 1
            vals.append(
                {
                    "settlement_id": self.id,
                    "kind": kind,
                    "name": move.name,
                    "move_id": move.id,
                    "amount": sign * move.amount_total,
                }
            )
        for gmove in (guarantee_moves or self.env["coop.guarantee.move"]) - self.line_ids.guarantee_move_id:
            vals.append(
                {
                    "settlement_id": self.id,
                    "kind": kind,
                    "name": gmove.name,
                    "guarantee_move_id": gmove.id,
                    "move_id": gmove.move_id.id,
                    "amount": -gmove.amount,
                }
            )
        return Line.create(vals)

    def _settle_invoices(self):
        """The final service invoice (the billing engine, everything not invoiced yet) and
        the contribution up to the end date (the subscription contract)."""
        Pricing = self.env["coop.service.pricing"].sudo()
        for settlement in self:
            membership = settlement.membership_id.sudo()
            today = fields.Date.context_today(settlement)
            if (
                float_compare(
                    Pricing._get_uninvoiced_amount(membership), 0.0, precision_rounding=settlement.currency_id.rounding
                )
                > 0
            ):
                run = (
                    self.env["coop.billing.run"]
                    .sudo()
                    ._create_for_members(membership, date=max(today, settlement.date_end))
                )
                run.action_process_now()
                not_done = run.line_ids.filtered(lambda line: line.state in ("failed", "skipped"))
                if not_done:
                    raise UserError(
                        self.env._(
                            "The final service invoice of %(member)s could not be issued: %(reason)s",
                            member=membership.partner_id.display_name,
                            reason=not_done[0].message,
                        )
                    )
                settlement._add_lines("service", run.line_ids.move_id)
            settlement._add_lines("contribution", membership.contract_id._coop_settle_contribution(settlement.date_end))

    def _get_open_receivable_lines(self, move_type):
        """Open receivable items of the member's posted documents of ``move_type`` that a
        set-off may use: no call for funds or guarantee refund, nothing disputed."""
        self.ensure_one()
        membership = self.membership_id.sudo()
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", move_type),
                    ("state", "=", "posted"),
                    ("company_id", "=", membership.company_id.id),
                    ("commercial_partner_id", "=", membership.partner_id.commercial_partner_id.id),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("coop_guarantee_invoice", "=", False),
                ],
                order="invoice_date_due, id",
            )
        )
        rounding = self.currency_id.rounding
        # what a payment order not uploaded yet still collects or pays stays in it (the settlement takes
        # the member's documents out of those orders first: ``_settle_take_out_of_payment_orders``)
        moves = moves.filtered(lambda move: not move.line_ids._coop_get_pending_payment_lines())
        if move_type == "out_invoice":
            # a call for funds is settled by the membership rules; a disputed sum is never set off
            moves = moves.filtered(
                lambda move: (
                    not move.coop_is_call_for_funds
                    and float_compare(
                        move._coop_get_undisputed_residual(), move.amount_residual, precision_rounding=rounding
                    )
                    == 0
                )
            )
        return moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )

    def _settle_take_out_of_payment_orders(self):
        """What the set-off and the draws settle must not be collected or paid by a payment
        order not uploaded to the bank yet: the member's open documents leave those orders
        (the termination already did it; a settlement issued later does it here), said on
        the chatter. Once uploaded, the bank has them."""
        for settlement in self:
            documents = (
                self.env["account.move.line"].sudo()._coop_take_out_at_contract_end(settlement.membership_id.sudo())
            )
            if documents:
                settlement.message_post(
                    body=self.env._(
                        "Taken out of the payment orders not uploaded to the bank yet, to be settled here: "
                        "%(documents)s.",
                        documents=", ".join(documents.mapped("display_name")),
                    )
                )

    def _settle_set_off(self):
        """What 24PM owes the member at the end (the B share bought back, the contribution
        paid beyond the end date, an indemnity owed by 24PM) is set off against its open,
        undisputed invoices, first due first."""
        for settlement in self:
            credit_lines = settlement._get_open_receivable_lines("out_refund")
            if not credit_lines:
                continue
            debits = settlement._get_open_receivable_lines("out_invoice")
            for credit in credit_lines:
                for debit in debits:
                    if credit.reconciled or credit.account_id != debit.account_id or debit.reconciled:
                        continue
                    (credit | debit).reconcile()

    def _settle_draw(self):
        """Art. 7.2: the sums due and not validly disputed are drawn from the guarantee."""
        for settlement in self:
            membership = settlement.membership_id.sudo()
            rounding = settlement.currency_id.rounding
            if float_compare(membership._get_guarantee_paid(), 0.0, precision_rounding=rounding) > 0:
                membership.guarantee_id._coop_draw(self.env["account.move"].sudo()._coop_due_invoices(membership))

    def _settle_pay_out(self):
        """What 24PM still owes after the set-off is paid by SEPA credit transfer (the
        company's draft payment order, as the guarantee refund), or staff get an activity."""
        for settlement in self:
            membership = settlement.membership_id.sudo()
            refunds = settlement._get_open_receivable_lines("out_refund").move_id
            refunds._coop_pay_out_by_transfer(
                membership._coop_responsible_user(self.env.user),
                lambda user_env: user_env._("Pay what 24PM owes at the end of the contract"),
            )

    def _collect_documents(self):
        """The documents the termination issued itself: the indemnity (coop_24pm_plans),
        the B-share buy-back (the register) and the draws (coop_24pm_guarantee)."""
        for settlement in self:
            membership = settlement.membership_id.sudo()
            indemnity = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("coop_membership_id", "=", membership.id),
                        ("coop_invoice_kind", "=", "indemnity"),
                        ("state", "=", "posted"),
                    ]
                )
            )
            settlement._add_lines("indemnity", indemnity)
            buyback = membership.share_line_ids.filtered(lambda line: line.operation == "buyback").move_id
            settlement._add_lines("buyback", buyback.filtered(lambda move: move.state == "posted"))
            start = membership.termination_id.date_terminated or settlement.date_end
            draws = membership.guarantee_id.move_ids.filtered(
                lambda g, start=start: g.operation == "draw" and g.state == "posted" and g.date >= start
            )
            settlement._add_lines("draw", guarantee_moves=draws.sorted("id"))

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_settle(self):
        """Settle the terminated membership: each step issues only what is missing, and a
        settled record is left alone (running twice settles once)."""
        to_settle = self.filtered(lambda s: s.state == "draft")
        if not to_settle:
            return True
        # a second run waits here for the first one and then finds it settled
        to_settle.lock_for_update()
        to_settle.invalidate_recordset(["state"])
        to_settle = to_settle.filtered(lambda s: s.state == "draft")
        for settlement in to_settle:
            membership = settlement.membership_id
            if membership.state != "terminated":
                raise UserError(
                    self.env._(
                        "%(ref)s is not terminated: its settlement is issued at the end of the contract (%(end)s).",
                        ref=membership.name,
                        end=format_date(self.env, settlement.date_end),
                    )
                )
        to_settle._settle_invoices()
        to_settle._collect_documents()
        to_settle._settle_take_out_of_payment_orders()
        to_settle._settle_set_off()
        to_settle._settle_draw()
        to_settle._collect_documents()
        to_settle._settle_pay_out()
        today = fields.Date.context_today(self)
        to_settle.write({"state": "done", "date": today})
        for settlement in to_settle:
            settlement._post_summary()
        return True

    def _post_summary(self):
        """The figures of the settlement on its chatter and the membership's."""
        self.ensure_one()
        membership = self.membership_id
        currency = self.currency_id
        env = self.with_context(lang=membership.partner_id.lang or self.env.lang).env
        body = env._(
            "Final settlement at the end of the contract on %(end)s: invoiced %(invoiced)s, B share bought back "
            "%(buyback)s, drawn from the guarantee %(drawn)s, still due %(open)s, guarantee to refund on request "
            "%(balance)s (within %(months)s months). Non-solicitation until %(non_solicitation)s.",
            end=self._format_date(self.date_end),
            invoiced=self._format_amount(self.amount_invoiced, currency),
            buyback=self._format_amount(self.amount_buyback, currency),
            drawn=self._format_amount(self.amount_drawn, currency),
            open=self._format_amount(self.amount_open, currency),
            balance=self._format_amount(self.guarantee_balance, currency),
            months=self.guarantee_refund_months,
            non_solicitation=self._format_date(self.non_solicitation_end) if self.non_solicitation_end else "-",
        )
        self.message_post(body=body)
        membership.message_post(body=body)

    def _format_amount(self, amount, currency):
        return format_amount(self.env, amount, currency)

    def _format_date(self, day):
        return format_date(self.env, day)

    def action_view_membership(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership",
            "res_id": self.membership_id.id,
            "view_mode": "form",
        }
