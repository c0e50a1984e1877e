from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import float_compare, float_is_zero, float_round, format_amount, format_date, formatLang

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches

from .guarantee_rules import debit_presentation_date, late_interest, late_penalty


def format_rate(env, rate):
    """A rate of the regulations in the language's format: "1 %", "1,5 %" (not "1.0 %")."""
    digits = 0 if float_is_zero(rate - float_round(rate, 0), precision_digits=4) else 2
    text = formatLang(env, rate, digits=digits)
    if digits:
        decimal_point = env["res.lang"]._get_data(code=env.lang).decimal_point or "."
        text = text.rstrip("0").rstrip(decimal_point)
    return text


OPEN_PAYMENT_LINE_STATES = ("draft", "open", "generated")


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _coop_consumption_domain(self):
        """Late interest, penalties and rejection fees are no consumption (SPEC 3.3)."""
        return super()._coop_consumption_domain() & Domain("coop_fee_kind", "=", False)

    def _coop_dispute_deadline(self):
        """Art. 6.3: the last day a member may dispute this invoice (its date plus the
        regulation's ``dispute_days``; the regulation in force on the invoice date for a
        company that is no member); False for what cannot be disputed: a call for funds (B
        share, guarantee), a credit note, a draft."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted" or self.coop_is_call_for_funds:
            return False
        membership = self.commercial_partner_id.coop_membership_id
        regulation = membership.regulation_id or self.env["coop.regulation"]._get_current(self.invoice_date)
        return self.invoice_date + timedelta(days=regulation.dispute_days)

    def _coop_dispute_option_label(self):
        """How the dispute form offers this invoice: number, amount and deadline, in the
        reader's language (issue 22)."""
        self.ensure_one()
        return self.env._(
            "%(number)s · %(amount)s · until %(deadline)s",
            number=self.name,
            amount=format_amount(self.env, self.amount_total, self.currency_id),
            deadline=format_date(self.env, self._coop_dispute_deadline()),
        )

    def _coop_is_disputable(self, on_date):
        """An invoice the member can still dispute on ``on_date``: within its deadline and
        not paid, even partly (art. 5.1: a payment accepts it)."""
        self.ensure_one()
        deadline = self._coop_dispute_deadline()
        return bool(deadline) and on_date <= deadline and self.payment_state == "not_paid"

    coop_dispute_ids = fields.One2many("coop.invoice.dispute", "invoice_id", "Disputes")
    coop_disputed_amount = fields.Monetary(
        "Disputed amount",
        compute="_compute_coop_disputed_amount",
        help="Amount under open dispute: excluded from direct debits, late fees and guarantee draws.",
    )
    coop_fee_kind = fields.Selection(
        [
            ("late", "Late payment interest and penalty"),
            ("rejection", "Rejected direct debit fee"),
            ("owed", "Late interest and penalty owed by 24PM"),
        ],
        "Fee invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    coop_fee_origin_id = fields.Many2one(
        "account.move", "Fee charged for", readonly=True, copy=False, index="btree_not_null"
    )
    coop_fee_invoice_ids = fields.One2many("account.move", "coop_fee_origin_id", "Fee invoices")
    coop_interest_until = fields.Date("Late interest charged until", readonly=True, copy=False)
    coop_penalty_charged = fields.Boolean("Penalty charged", readonly=True, copy=False)
    coop_last_payment_date = fields.Date(
        "Last payment on",
        compute="_compute_coop_last_payment_date",
        store=True,
        help="Date of the latest payment reconciled with the invoice: late interest runs until then.",
    )
    coop_debit_retry_date = fields.Date("Present the direct debit again on", copy=False)
    coop_guarantee_invoice = fields.Boolean(
        "Guarantee invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A guarantee called for (joining, receipt, top-up) or refunded, on the deposits account: "
        "it counts as held once paid.",
    )

    def _coop_call_for_funds_note(self):
        """A guarantee is a security deposit (art. 7), not a supply: no VAT."""
        if self.coop_is_call_for_funds and self.coop_guarantee_invoice:
            return self.env._(
                "Not a VAT invoice: a security deposit (guarantee, art. 7 of the regulations), refundable at the "
                "end of the membership, outside the scope of VAT."
            )
        return super()._coop_call_for_funds_note()

    @api.depends("coop_dispute_ids.state", "coop_dispute_ids.amount")
    def _compute_coop_disputed_amount(self):
        for move in self:
            move.coop_disputed_amount = sum(
                move.coop_dispute_ids.filtered(lambda d: d.state == "open").mapped("amount")
            )

    coop_late_interest_pending = fields.Boolean(
        compute="_compute_coop_late_interest_pending",
        store=True,
        index="btree_not_null",
        help="Paid after its due date, and the interest up to the payment date is not charged yet.",
    )

    @api.depends("line_ids.matched_credit_ids.max_date")
    def _compute_coop_last_payment_date(self):
        for move in self:
            dates = move.line_ids.matched_credit_ids.mapped("max_date")
            move.coop_last_payment_date = max(dates) if dates else False

    @api.depends("coop_last_payment_date", "coop_interest_until", "invoice_date_due", "payment_state")
    def _compute_coop_late_interest_pending(self):
        for move in self:
            charged_until = max(filter(None, [move.invoice_date_due, move.coop_interest_until]), default=False)
            move.coop_late_interest_pending = bool(
                move.move_type == "out_invoice"
                and move.payment_state in ("paid", "in_payment")
                and move.coop_last_payment_date
                and charged_until
                and move.coop_last_payment_date > charged_until
            )

    def _coop_interest_segments(self, start, end):
        """[(date_from, date_to, base)]: the undisputed residual between ``start`` and ``end``,
        following the payments made in between (each payment lowers the base from its date)."""
        self.ensure_one()
        base = self._coop_get_undisputed_residual()
        payments = sorted(
            (
                (partial.max_date, partial.amount)
                for partial in self.line_ids.matched_credit_ids
                if start < partial.max_date <= end
            ),
            reverse=True,
        )
        segments, upper = [], end
        for pay_date, amount in payments:
            segments.append((pay_date, upper, base))
            base = self.currency_id.round(base + amount)
            upper = pay_date
        segments.append((start, upper, base))
        return [seg for seg in reversed(segments) if (seg[1] - seg[0]).days > 0 and seg[2] > 0]

    def _coop_get_amount_in_collection(self):
        """What 24PM is collecting itself: the amount of the invoice in a direct-debit order
        not yet uploaded to the bank (SPEC 7.1: 24PM's own collection is not the member's delay).
        Once uploaded the order's payment settles the invoice; a rejection cancels it."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable").payment_line_ids
        return self.currency_id.round(
            sum(lines.filtered(lambda pl: pl.state in OPEN_PAYMENT_LINE_STATES).mapped("amount_currency"))
        )

    @api.model
    def _coop_late_fee_domain(self):
        """SPEC 7.1: late interest and the penalty run on contribution and service invoices
        only: never on a call for funds (B share, guarantee), a prepayment or a fee invoice."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("coop_fee_kind", "=", False),
            ("coop_is_call_for_funds", "=", False),
            ("coop_guarantee_invoice", "=", False),
            ("coop_is_prepayment", "=", False),
        ]

    def _coop_get_undisputed_residual(self):
        """What is due and not disputed (art. 6.3): residual minus the open disputes."""
        self.ensure_one()
        return max(self.currency_id.round(self.amount_residual - self.coop_disputed_amount), 0.0)

    @api.model
    def _coop_due_invoices(self, membership, overdue_only=False):
        """The member's posted invoices not paid yet (``overdue_only``: past their due date)."""
        membership.ensure_one()
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("company_id", "=", membership.company_id.id),
            ("payment_state", "in", ("not_paid", "partial")),
            ("commercial_partner_id", "=", membership.partner_id.id),
        ]
        if overdue_only:
            domain.append(("invoice_date_due", "<", fields.Date.context_today(self)))
        return self.search(domain)

    def _coop_open_form(self, model, title):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "name": title,
            "context": {"default_invoice_id": self.id, "default_invoice_ref": self.name},
        }

    def action_coop_file_dispute(self):
        return self._coop_open_form("coop.invoice.dispute", self.env._("Invoice dispute"))

    def action_coop_record_debit_rejection(self):
        return self._coop_open_form("coop.debit.rejection", self.env._("Rejected direct debit"))

    # ------------------------------------------------------------------
    # fee invoices
    # ------------------------------------------------------------------
    @api.model
    def _coop_create_fee_invoice(self, origin, lines, kind, date=None):
        """Post an invoice of its own for late fees or a rejection fee, saying what it is for."""
        date = date or fields.Date.context_today(self)
        company = origin.company_id
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        outside_vat = company._coop_get_outside_vat_tax()
        fee = self.create(
            {
                "move_type": "out_invoice",
                "partner_id": origin.partner_id.id,
                "company_id": company.id,
                "journal_id": journal.id,
                "invoice_date": date,
                "date": date,
                "invoice_origin": origin.name,
                "coop_fee_kind": kind,
                "coop_fee_origin_id": origin.id,
                "payment_mode_id": origin.payment_mode_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": line["name"],
                            "quantity": 1,
                            "price_unit": line["price_unit"],
                            "account_id": line["account"].id,
                            # compensation, outside the scope of VAT (SPEC 7.6): VAT category O
                            "tax_ids": [Command.set(outside_vat.ids)],
                        }
                    )
                    for line in lines
                ],
            }
        )
        fee._coop_post()
        return fee

    def _coop_member_formats(self):
        """``(env, money, day)``: the member's language and its formats of amounts and dates
        (SPEC 7.6), which the fee invoices and bills of late payment speak."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        return (
            env,
            lambda amount: format_amount(env, amount, self.currency_id, lang_code=lang),
            lambda value: format_date(env, value, lang_code=lang),
        )

    def _coop_prepare_late_fee_lines(self, regulation, today):
        """Art. 6.4.1: 1 % per month of delay, pro rata by day; penalty 10 %, min EUR 150,
        once per invoice; on the undisputed part only."""
        self.ensure_one()
        company = self.company_id
        env, money, day = self._coop_member_formats()
        start = max(self.invoice_date_due, self.coop_interest_until or self.invoice_date_due)
        # interest runs until today while unpaid, until the payment date once paid
        end = (
            today if self.payment_state in ("not_paid", "partial") else min(today, self.coop_last_payment_date or today)
        )
        segments = self._coop_interest_segments(start, end) if end > start else []
        lines = []
        for seg_start, seg_end, seg_base in segments:
            days = (seg_end - seg_start).days
            interest = late_interest(seg_base, days, regulation.late_interest_rate)
            if interest > 0:
                lines.append(
                    {
                        "name": env._(
                            "Late interest on %(inv)s: %(rate)s %% per month on %(base)s for %(days)s days from "
                            "%(start)s to %(end)s (art. 6.4.1)",
                            inv=self.name,
                            rate=format_rate(env, regulation.late_interest_rate),
                            base=money(seg_base),
                            days=days,
                            start=day(seg_start),
                            end=day(seg_end),
                        ),
                        "price_unit": interest,
                        "account": company._coop_get_late_interest_account(),
                    }
                )
        # the penalty is due on what was unpaid at the due date (undisputed), once
        base = max((seg[2] for seg in segments), default=self._coop_get_undisputed_residual())
        if float_is_zero(base, precision_rounding=self.currency_id.rounding):
            return lines
        if not self.coop_penalty_charged:
            penalty = late_penalty(base, regulation.late_penalty_rate, regulation.late_penalty_min)
            lines.append(
                {
                    "name": env._(
                        "Penalty clause on %(inv)s: %(rate)s %% of %(base)s, minimum %(min)s (art. 6.4.1)",
                        inv=self.name,
                        rate=format_rate(env, regulation.late_penalty_rate),
                        base=money(base),
                        min=money(regulation.late_penalty_min),
                    ),
                    "price_unit": penalty,
                    "account": company._coop_get_late_fee_account(),
                }
            )
        return lines

    def _coop_pay_out_by_transfer(self, user, summary):
        """Pay these credit notes to the member by SEPA credit transfer: OCA's own "Add to
        payment order" puts them in the company's draft credit-transfer order. Without that
        payment mode or an IBAN of the member, ``user`` gets an activity on each, titled
        ``summary`` (a callable of the user's environment), to pay it by hand.
        Returns the credit notes put in an order."""
        ordered = self.browse()
        for refund in self:
            mode = refund.company_id._coop_get_credit_transfer_mode()
            if mode and refund.commercial_partner_id.bank_ids:
                refund.payment_mode_id = mode
                ordered |= refund
                continue
            user_env = refund._coop_user_env(user)
            refund.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary(user_env),
                note=user_env._(
                    "No SEPA credit transfer payment mode, or no IBAN of the member: pay %(amount)s by hand.",
                    amount=format_amount(user_env, refund.amount_residual, refund.currency_id),
                ),
                user_id=user.id,
            )
        if ordered:
            # the user decided the payment (staff: a refund, a settlement); the order it joins
            # stays a draft that the accountant (OCA's payment-order right) confirms and uploads
            ordered.sudo().create_account_payment_line()
        return ordered

    def _coop_debit_kind(self):
        """What this document is for the direct debits of SPEC 7.4: "share", "guarantee" or "invoice"."""
        self.ensure_one()
        if self.coop_is_call_for_funds:
            return "guarantee" if self.coop_guarantee_invoice else "share"
        return "invoice"

    def _coop_may_be_debited(self):
        """SPEC 7.4 "direct debits": the member's state allows collecting this document
        (an applicant, a company with an application in progress and no membership yet:
        its B share and guarantee only)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        membership = self.env["coop.membership"]._get_latest_by_partner(partner).get(partner.id)
        if membership:
            return membership._coop_may_debit(self._coop_debit_kind())
        if partner.sudo().coop_status == "applicant":
            return self._coop_debit_kind() in ("share", "guarantee")
        return True

    def _coop_member_regulations(self):
        """{commercial partner id: regulation of its latest membership}, one query."""
        latest = self.env["coop.membership"]._get_latest_by_partner(self.commercial_partner_id)
        return {partner_id: membership.regulation_id for partner_id, membership in latest.items()}

    @api.model
    def _cron_coop_late_fees(self, batch_size=200):
        """Charge late interest and the penalty clause on members' overdue invoices (art. 6.4.1)."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative late fees")
        domain = [
            ("company_id", "in", ready.ids),
            *self._coop_late_fee_domain(),
            ("invoice_date_due", "<", today),
            ("commercial_partner_id.coop_membership_ids", "!=", False),
            "|",
            ("coop_interest_until", "=", False),
            ("coop_interest_until", "<", today),
            "|",
            ("payment_state", "in", ("not_paid", "partial")),
            # paid late since the last charge: the interest up to the payment date is still due
            ("coop_late_interest_pending", "=", True),
        ]
        invoices = self.search(domain, order="invoice_date_due, id")
        regulations = invoices._coop_member_regulations()
        fees = []

        def charge(invoice):
            if invoice.coop_interest_until and invoice.coop_interest_until >= today:
                return  # charged meanwhile by another run
            if not float_is_zero(
                invoice._coop_get_amount_in_collection(), precision_rounding=invoice.currency_id.rounding
            ):
                # in a direct-debit order not yet at the bank: not late; if the bank rejects
                # the debit, the amount is late from its due date (nothing is marked charged)
                return
            regulation = regulations.get(invoice.commercial_partner_id.id)
            lines = invoice._coop_prepare_late_fee_lines(regulation, today) if regulation else []
            if lines:
                fees.append(self._coop_create_fee_invoice(invoice, lines, "late", today))
            invoice.write({"coop_interest_until": today, "coop_penalty_charged": True})

        run_in_batches(invoices, charge, batch_size=batch_size)
        # a fee whose invoice failed was rolled back with it
        return self.browse([fee.id for fee in fees]).exists()

    # ------------------------------------------------------------------
    # art. 6.4.2: what 24PM owes its members and pays late
    # ------------------------------------------------------------------
    @api.model
    def _coop_owed_to_member_domain(self):
        """Sums 24PM owes a member: its bills, and what 24PM pays out (guarantee or Success
        Pack refund, indemnity when 24PM is at fault); never a fee bill itself."""
        return [
            ("state", "=", "posted"),
            ("coop_fee_kind", "=", False),
            "|",
            ("move_type", "=", "in_invoice"),
            "&",
            ("move_type", "=", "out_refund"),
            ("coop_pays_out", "=", True),
        ]

    def _coop_prepare_owed_fee_lines(self, regulation, today):
        """Art. 6.4.2: the interest (1 % per month, pro rata by day) and the penalty (10 %,
        min EUR 150, once) of art. 6.4.1 on what 24PM still owes after its due date."""
        self.ensure_one()
        env, money, day = self._coop_member_formats()
        base = abs(self.amount_residual)
        start = max(self.invoice_date_due, self.coop_interest_until or self.invoice_date_due)
        days = (today - start).days
        lines = []
        interest = late_interest(base, days, regulation.late_interest_rate)
        if interest > 0:
            lines.append(
                {
                    "name": env._(
                        "Late interest owed by 24PM on %(doc)s: %(rate)s %% per month on %(base)s for %(days)s days "
                        "from %(start)s to %(end)s (art. 6.4.2)",
                        doc=self.name,
                        rate=format_rate(env, regulation.late_interest_rate),
                        base=money(base),
                        days=days,
                        start=day(start),
                        end=day(today),
                    ),
                    "price_unit": interest,
                }
            )
        if not self.coop_penalty_charged:
            lines.append(
                {
                    "name": env._(
                        "Penalty clause owed by 24PM on %(doc)s: %(rate)s %% of %(base)s, minimum %(min)s (art. 6.4.2)",
                        doc=self.name,
                        rate=format_rate(env, regulation.late_penalty_rate),
                        base=money(base),
                        min=money(regulation.late_penalty_min),
                    ),
                    "price_unit": late_penalty(base, regulation.late_penalty_rate, regulation.late_penalty_min),
                }
            )
        return lines

    @api.model
    def _coop_create_owed_fee_bill(self, origin, lines, date):
        """A vendor bill of the member: 24PM's debt for paying ``origin`` late (art. 6.4.2)."""
        company = origin.company_id
        account = company._coop_get_late_charges_account()
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "purchase")], limit=1
        )
        bill = self.create(
            {
                "move_type": "in_invoice",
                "partner_id": origin.partner_id.id,
                "company_id": company.id,
                "journal_id": journal.id,
                "invoice_date": date,
                "date": date,
                "ref": self.env._("Art. 6.4.2 - %s", origin.name),
                "invoice_origin": origin.name,
                "coop_fee_kind": "owed",
                "coop_fee_origin_id": origin.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": line["name"],
                            "quantity": 1,
                            "price_unit": line["price_unit"],
                            "account_id": account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for line in lines
                ],
            }
        )
        bill._coop_post()
        return bill

    @api.model
    def _cron_coop_late_fees_owed(self):
        """Art. 6.4.2: book, as a vendor bill to the member, the interest and penalty 24PM
        owes on the sums it pays its members after their due date."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative late fees owed to members")
        docs = self.search(
            [
                ("company_id", "in", ready.ids),
                *self._coop_owed_to_member_domain(),
                ("invoice_date_due", "<", today),
                ("payment_state", "in", ("not_paid", "partial")),
                ("commercial_partner_id.coop_membership_ids", "!=", False),
                "|",
                ("coop_interest_until", "=", False),
                ("coop_interest_until", "<", today),
            ],
            order="invoice_date_due, id",
        )
        regulations = docs._coop_member_regulations()
        bills = []

        def book(doc):
            if doc.coop_interest_until and doc.coop_interest_until >= today:
                return  # booked meanwhile by another run
            regulation = regulations.get(doc.commercial_partner_id.id)
            lines = doc._coop_prepare_owed_fee_lines(regulation, today) if regulation else []
            if lines:
                bills.append(self._coop_create_owed_fee_bill(doc, lines, today))
            doc.write({"coop_interest_until": today, "coop_penalty_charged": True})

        run_in_batches(docs, book)
        return self.browse([bill.id for bill in bills]).exists()

    # ------------------------------------------------------------------
    # SEPA B2B direct debit (art. 6.1)
    # ------------------------------------------------------------------
    def _coop_get_presentation_date(self, regulation):
        self.ensure_one()
        if self.coop_debit_retry_date:
            return self.coop_debit_retry_date
        return debit_presentation_date(self.invoice_date, self.invoice_date_due, regulation.direct_debit_days)

    def _coop_set_off_credit_notes(self):
        """SPEC 7.2, art. 6.4.2: a debit member's open credit notes (a plan change's
        adjustment, a correction) are paid by setting them off against these invoices of the
        same member (the invoice form's outstanding credit, done for the accountant), oldest
        due first, so that the debit collects only the rest and 24PM owes no late fee on
        them. An invoice in a payment line not yet collected, disputed in part or a call for
        funds (share, guarantee: other accounts) is left as it is; a credit note with nothing
        to set off stays open (refunded as any credit note)."""
        invoices = self.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")
        if not invoices:
            return self.browse()
        credit_notes = self.search(
            [
                ("company_id", "in", invoices.company_id.ids),
                ("move_type", "=", "out_refund"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("commercial_partner_id", "in", invoices.commercial_partner_id.ids),
            ],
            order="invoice_date, id",
        )

        def open_receivables(move):
            lines = move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            if lines.payment_line_ids.filtered(lambda pl: pl.state in OPEN_PAYMENT_LINE_STATES):
                return lines.browse()
            return lines

        set_off = self.browse()
        for credit_note in credit_notes:
            credits = open_receivables(credit_note)
            candidates = invoices.filtered(
                lambda inv, cn=credit_note: inv.commercial_partner_id == cn.commercial_partner_id
                and inv.company_id == cn.company_id
                and inv.currency_id == cn.currency_id
                and not inv.coop_is_call_for_funds
                and inv.payment_state in ("not_paid", "partial")
                and inv.currency_id.is_zero(inv.coop_disputed_amount)
            ).sorted(lambda inv: (inv.invoice_date_due or inv.invoice_date, inv.id))
            for invoice in candidates:
                credits = credits.filtered(lambda line: not line.reconciled)
                if not credits:
                    break
                debits = open_receivables(invoice).filtered(lambda line, c=credits: line.account_id in c.account_id)
                if debits:
                    (credits | debits).reconcile()
                    set_off |= credit_note | invoice
        return set_off

    @api.model
    def _cron_coop_direct_debit(self):
        """Build the direct-debit payment orders of members' invoices: each invoice is
        presented within 10 days of its date or at its due date, whichever comes first,
        for its undisputed part only."""
        today = fields.Date.context_today(self)
        orders = self.env["account.payment.order"]
        for company in self.env["res.company"]._coop_ready_companies("Cooperative direct debits"):
            mode = company._coop_get_direct_debit_mode()
            if not mode:
                continue
            memberships = self.env["coop.membership"].search(
                [
                    ("company_id", "=", company.id),
                    ("coop_payment_mode", "=", "direct_debit"),
                    ("state", "!=", "draft"),
                ]
            )
            mandated = memberships.filtered(lambda m: m._coop_get_b2b_mandate())
            if not mandated:
                continue
            invoices = self.search(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("commercial_partner_id", "in", mandated.partner_id.ids),
                ],
                order="invoice_date, id",
            )
            # SPEC 7.2, art. 6.4.2: what 24PM owes a debit member on a credit note is paid by
            # setting it off against the invoices to collect, before they are presented
            invoices._coop_set_off_credit_notes()
            regulations = invoices._coop_member_regulations()
            # one invoice at a time (issue 15): its lines are created with it, so a failure
            # leaves only that invoice for the next run, with a note on it
            current = {}

            # the defaults bind this loop's values; ``current`` is shared on purpose (the open order)
            def present(invoice, mode=mode, regulations=regulations, current=current):  # pylint: disable=dangerous-default-value
                if not invoice._coop_may_be_debited():
                    return
                regulation = regulations[invoice.commercial_partner_id.id]
                if invoice._coop_get_presentation_date(regulation) > today:
                    return
                receivables = invoice.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
                if receivables.payment_line_ids.filtered(lambda pl: pl.state in OPEN_PAYMENT_LINE_STATES):
                    return
                remaining = invoice._coop_get_undisputed_residual()
                if float_is_zero(remaining, precision_rounding=invoice.currency_id.rounding):
                    return
                order = current.get("order") or (
                    self.env["account.payment.order"].search(
                        [("payment_mode_id", "=", mode.id), ("state", "=", "draft")], limit=1
                    )
                    or self.env["account.payment.order"].create({"payment_mode_id": mode.id})
                )
                # the disputed amount is left out by the payment-line hook (account_move_line.py)
                vals_list = []
                for line in receivables.sorted("date_maturity"):
                    vals = line._prepare_payment_line_vals(order)
                    if float_compare(vals["amount_currency"], 0.0, precision_rounding=invoice.currency_id.rounding) > 0:
                        vals_list.append(vals)
                if vals_list:
                    self.env["account.payment.line"].create(vals_list)
                invoice.coop_debit_retry_date = False
                current["order"] = order
                if vals_list:
                    current["used"] = True

            run_in_batches(invoices, present)
            if current.get("used"):
                orders |= current["order"]
        return orders
