from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class CoopGuarantee(models.Model):
    """The member's guarantee (art. 7, SPEC 4.1, 7.5): the terms agreed with its application
    (credit assessment, required, amount) and their follow-up (due date, unpaid after it).
    One per membership, created with it from its application's terms.

    Issue 21: these were fields of ``coop.membership``; the rule of the terms is the
    application's and this record's (``coop.guarantee.terms.mixin``)."""

    _name = "coop.guarantee"
    _description = "Guarantee"
    _inherit = ["mail.thread", "coop.guarantee.terms.mixin"]
    _rec_name = "membership_id"
    _order = "membership_id"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True, index=True, ondelete="cascade")
    state = fields.Selection(related="membership_id.state", string="Membership status")
    partner_id = fields.Many2one(related="membership_id.partner_id", string="Member")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    regulation_id = fields.Many2one(related="membership_id.regulation_id")
    date_signed = fields.Date(related="membership_id.date_signed")
    guarantee_due_date = fields.Date("Guarantee due on", compute="_compute_guarantee_due_date", store=True)
    guarantee_overdue = fields.Boolean("Guarantee unpaid after the deadline", readonly=True, tracking=True, copy=False)
    # SPEC 7.5: the credit line is the partner's credit limit (OCA account_financial_risk)
    credit_line_amount = fields.Float(
        related="partner_id.credit_limit",
        string="Credit line",
        readonly=False,
        help="The credit limit of the member company (financial risk): 0 = no credit line.",
    )
    # issue 21: the money of the guarantee, read from the books and its movements (were the membership's)
    guarantee_balance = fields.Monetary(
        "Guarantee held",
        compute="_compute_guarantee_balance",
        help="Balance of the deposits account for the member (posted entries).",
    )
    move_ids = fields.One2many("coop.guarantee.move", "guarantee_id", "Guarantee movements")
    surety_ids = fields.One2many("coop.surety", "guarantee_id", "Personal sureties")
    # refund after exit (art. 7.3): a request of its own, one per membership
    refund_ids = fields.One2many("coop.guarantee.refund", "guarantee_id", "Guarantee refunds")
    refund_id = fields.Many2one("coop.guarantee.refund", "Guarantee refund", compute="_compute_refund_id")

    _membership_uniq = models.Constraint("UNIQUE(membership_id)", "A membership has one guarantee.")

    @api.depends("date_signed", "guarantee_required", "regulation_id.guarantee_payment_days")
    def _compute_guarantee_due_date(self):
        for guarantee in self:
            guarantee.guarantee_due_date = (
                fields.Date.add(guarantee.date_signed, days=guarantee.regulation_id.guarantee_payment_days)
                if guarantee.date_signed and guarantee.guarantee_required
                else False
            )

    def _compute_guarantee_balance(self):
        balances = self._coop_get_balances(self.membership_id)
        for guarantee in self:
            guarantee.guarantee_balance = balances.get(guarantee.partner_id.id, 0.0)

    @api.depends("refund_ids")
    def _compute_refund_id(self):
        for guarantee in self:
            guarantee.refund_id = guarantee.refund_ids[:1]

    @api.model
    def _coop_get_balances(self, memberships, awaiting=None):
        """{partner id: the guarantee held by ``memberships``}, the credit balance of the deposits
        account, one grouped query per company. The guarantee invoiced online counts as held once
        paid: the unpaid part of the guarantee invoices is taken off. ``awaiting``, a dict,
        receives {partner id: the guarantee called for and not paid yet}."""
        partners = memberships.partner_id
        if not partners:
            return {}
        result = {}
        for company in memberships.company_id:
            groups = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    self._coop_deposits_domain(company, partners),
                    ["partner_id"],
                    ["balance:sum"],
                )
            )
            for partner, balance in groups:
                result[partner.id] = company.currency_id.round(-balance)
        if not result and awaiting is None:
            return result
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [*self._coop_unpaid_calls_domain(partners), ("company_id", "in", memberships.company_id.ids)],
                ["commercial_partner_id", "currency_id"],
                ["amount_residual:sum"],
            )
        )
        for partner, currency, residual in groups:
            if awaiting is not None:
                awaiting[partner.id] = currency.round(awaiting.get(partner.id, 0.0) + residual)
            if partner.id in result:
                result[partner.id] = currency.round(result[partner.id] - residual)
        return result

    @api.model
    def _coop_deposits_domain(self, company, partners):
        """The posted items of ``partners`` on the deposits account (488000) of ``company``."""
        return [
            ("account_id", "=", company._coop_get_guarantee_account().id),
            ("parent_state", "=", "posted"),
            ("company_id", "=", company.id),
            ("partner_id", "in", partners.ids),
        ]

    @api.model
    def _coop_unpaid_calls_domain(self, partners):
        """The guarantee called for (online journey, receipts and top-ups) and not paid yet."""
        return [
            ("coop_guarantee_invoice", "=", True),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("commercial_partner_id", "in", partners.ids),
        ]

    def _coop_get_paid(self):
        """Guarantee held: balance of the deposits account (488000) for the member."""
        self.ensure_one()
        return self._coop_get_balances(self.membership_id).get(self.membership_id.partner_id.id, 0.0)

    @api.model
    def _coop_get_held_and_awaiting(self, membership):
        """(the guarantee held by ``membership``, the guarantee called for and not paid yet), in
        two queries."""
        awaiting = {}
        partner = membership.partner_id
        held = self._coop_get_balances(membership, awaiting).get(partner.id, 0.0)
        return held, awaiting.get(partner.id, 0.0)

    def _coop_get_paid_by(self, day):
        """SPEC 7.2: the guarantee held at the end of ``day`` by the dates of the money: the
        deposits account up to that day, less what was called for and not yet paid then
        (a payment counts from its date, the bank statement line's)."""
        self.ensure_one()
        company = self.company_id
        partner = self.membership_id.partner_id.commercial_partner_id
        balance = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [*self._coop_deposits_domain(company, partner), ("date", "<=", day)],
                [],
                ["balance:sum"],
            )[0][0]
            or 0.0
        )
        calls = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("coop_guarantee_invoice", "=", True),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("date", "<=", day),
                ]
            )
        )
        unpaid = sum(call.amount_total - call._coop_get_paid_by(day) for call in calls)
        return self.currency_id.round(-balance - unpaid)

    def _coop_invoiced_unpaid(self):
        """Guarantee called for (online journey, receipts and top-ups) and not paid yet."""
        self.ensure_one()
        partner = self.membership_id.partner_id.commercial_partner_id
        residual = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [*self._coop_unpaid_calls_domain(partner), ("company_id", "=", self.company_id.id)],
                [],
                ["amount_residual:sum"],
            )[0][0]
        )
        return self.currency_id.round(residual or 0.0)

    # ------------------------------------------------------------------
    # guarantee movements (issue 21: were the membership's)
    # ------------------------------------------------------------------
    def action_request_topup(self, amount, method="transfer", requested_by=None):
        """A top-up asked by the member (portal) or by staff via the PM (art. 7.1): an agent
        needs the finance right and stays within the amount limit of its mandate (art. 4.6)."""
        self.ensure_one()
        membership = self.membership_id
        requested_by = requested_by or self.env.user
        if float_compare(amount or 0.0, 0.0, precision_rounding=self.currency_id.rounding) <= 0:
            raise UserError(self.env._("Give the amount of the top-up."))
        requested_by.partner_id._coop_check_right("finance", membership._coop_no_finance_message())
        requested_by.partner_id._coop_check_amount_limit(
            amount, self.currency_id, self.env._("A top-up of the guarantee")
        )
        if membership.state == "terminated":
            raise UserError(self.env._("The contract has ended: the guarantee can no longer be topped up."))
        operation = (
            "topup"
            if self.move_ids.filtered(lambda m: m.state == "posted" and m.operation in ("receipt", "topup"))
            else "receipt"
        )
        return (
            self.env["coop.guarantee.move"]
            .sudo()
            .create(
                {
                    "membership_id": membership.id,
                    "operation": operation,
                    "amount": amount,
                    "payment_method": method,
                    "state": "requested",
                    "requested_by_id": requested_by.id,
                }
            )
        )

    def _coop_draw(self, invoices):
        """Settle ``invoices`` from the guarantee, undisputed sums first due first,
        within the balance held. Returns the posted draws."""
        self.ensure_one()
        draws = self.env["coop.guarantee.move"]
        balance = self._coop_get_paid()
        rounding = self.currency_id.rounding
        # a call for funds (B share) is settled by the membership rules (buy-back set-off), not the guarantee;
        # what a direct-debit order not uploaded yet collects is not drawn twice (SPEC 7.1: 24PM's own
        # collection is not the member's delay; the termination takes it out of the order first)
        invoices = invoices.filtered(
            lambda i: not i.coop_is_call_for_funds and not i.line_ids._coop_get_pending_payment_lines()
        )
        for invoice in invoices.sorted(lambda i: (i.invoice_date_due or i.invoice_date, i.id)):
            amount = min(invoice._coop_get_undisputed_residual(), balance)
            if float_compare(amount, 0.0, precision_rounding=rounding) <= 0:
                continue
            draw = self.env["coop.guarantee.move"].create(
                {
                    "membership_id": self.membership_id.id,
                    "operation": "draw",
                    "amount": amount,
                    "invoice_id": invoice.id,
                }
            )
            draw.action_post()
            draws |= draw
            balance = self.currency_id.round(balance - amount)
        return draws

    def action_draw_for_unpaid(self):
        """Art. 6.4.1: persistent non-payment; staff draws overdue, undisputed sums."""
        for guarantee in self:
            membership = guarantee.membership_id
            if not guarantee._coop_draw(self.env["account.move"]._coop_due_invoices(membership, overdue_only=True)):
                raise UserError(
                    self.env._(
                        "Nothing overdue and undisputed can be drawn from the guarantee of %s.",
                        membership.partner_id.display_name,
                    )
                )
        return True

    def action_request_refund(self):
        """Art. 7.3: the refund of the balance after exit, asked by staff for the member."""
        return self.membership_id.action_request_guarantee_refund()

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("coop_24pm_guarantee.coop_guarantee_move_action")
        action["domain"] = [("membership_id", "=", self.membership_id.id)]
        action["context"] = {"default_membership_id": self.membership_id.id}
        return action

    def action_view_entries(self):
        """The journal items of the deposits account for the member (partner ledger view)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move.line",
            "view_mode": "list",
            "name": self.env._("Guarantee entries"),
            "domain": [
                ("account_id", "=", self.company_id._coop_get_guarantee_account().id),
                ("partner_id", "=", self.membership_id.partner_id.id),
                ("parent_state", "=", "posted"),
            ],
        }

    def action_view_sureties(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal sureties"),
            "res_model": "coop.surety",
            "view_mode": "list,form",
            "domain": [("membership_id", "=", self.membership_id.id)],
            "context": {"default_membership_id": self.membership_id.id},
        }

    @api.constrains("guarantee_amount")
    def _check_guarantee_amount(self):
        """The rule of the terms (its regulation is the membership's, checked when it changes)."""
        return super()._check_guarantee_amount()

    @api.model
    def _coop_create_for(self, memberships):
        """The guarantee of each new membership, with the terms agreed with its application;
        returns them."""
        vals_list = []
        for membership in memberships:
            application = membership.application_id
            vals = {"membership_id": membership.id}
            if application.credit_assessment_date:
                vals.update(
                    {
                        "credit_score": application.credit_score,
                        "credit_assessment_date": application.credit_assessment_date,
                    }
                )
            if application.guarantee_required:
                vals["guarantee_amount"] = application.guarantee_amount
            vals_list.append(vals)
        guarantees = self.sudo().create(vals_list)
        for membership, guarantee in zip(memberships, guarantees, strict=True):
            membership.guarantee_id = guarantee
        return guarantees

    @api.model
    def _coop_create_missing(self):
        """A guarantee for each membership without one (those that exist when the addon is
        installed); returns them."""
        memberships = self.env["coop.membership"].with_context(active_test=False).search([("guarantee_id", "=", False)])
        return self._coop_create_for(memberships)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._coop_credit_assessment_vals(vals, creating=True) for vals in vals_list])

    def write(self, vals):
        vals = self._coop_credit_assessment_vals(vals)
        if "guarantee_amount" in vals and not self.env.context.get("coop_guarantee_amend"):
            signed = self.filtered(lambda g: g.date_signed and g.guarantee_amount != vals["guarantee_amount"])
            if signed:
                raise UserError(
                    self.env._(
                        "The guarantee of %s was fixed at signature: use a top-up to increase it.",
                        signed[0].partner_id.display_name,
                    )
                )
        return super().write(vals)
