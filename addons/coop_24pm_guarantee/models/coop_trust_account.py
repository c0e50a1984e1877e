from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL


class CoopTrustAccount(models.Model):
    """The member's trust account (SPEC 4.2, art. 4.7), read live: a report with one record
    per membership (same id), its amounts computed by ``_coop_get_values`` (also what the portal shows).

    Issue 21: the amounts were computed fields of ``coop.membership``; they are a view of the
    member's books, not facts about the member.
    """

    _name = "coop.trust.account"
    _description = "Trust account"
    _auto = False
    _rec_name = "membership_id"
    _order = "membership_id"

    membership_id = fields.Many2one("coop.membership", "Membership", readonly=True)
    partner_id = fields.Many2one("res.partner", "Company", readonly=True)
    company_id = fields.Many2one("res.company", "Cooperative", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    trust_invoiced = fields.Monetary("Invoiced", compute="_compute_trust_account")
    trust_paid = fields.Monetary("Paid", compute="_compute_trust_account")
    trust_outstanding = fields.Monetary("Outstanding", compute="_compute_trust_account")
    trust_credits = fields.Monetary(
        "Credits not applied yet",
        compute="_compute_trust_account",
        help="Credit notes and payments not matched to an invoice yet (an overpayment, a payment received before "
        "its invoice), deducted from the outstanding amount, as in the partner ledger.",
    )
    trust_overdue = fields.Monetary("Overdue", compute="_compute_trust_account")
    trust_next_invoice = fields.Monetary("Next invoice being built", compute="_compute_trust_account")
    guarantee_balance = fields.Monetary(related="membership_id.guarantee_id.guarantee_balance", string="Guarantee held")
    trust_owed_to_member = fields.Monetary("Owed to the member", compute="_compute_trust_account")
    trust_late_fees_owed = fields.Monetary(
        "Late fees owed to the member",
        compute="_compute_trust_account",
        help="Art. 6.4.2: interest and penalty on the member's bills 24PM pays late.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS
                   SELECT m.id, m.id AS membership_id, m.partner_id, m.company_id
                     FROM coop_membership m""",
                SQL.identifier(self._table),
            )
        )

    def _compute_trust_account(self):
        for account in self:
            values = self._coop_get_values(account.membership_id)
            account.update(
                {
                    "trust_invoiced": values["invoiced"],
                    "trust_paid": values["paid"],
                    "trust_outstanding": values["outstanding"],
                    "trust_credits": values["credits"],
                    "trust_overdue": values["overdue"],
                    "trust_next_invoice": values["next_invoice"],
                    "trust_owed_to_member": values["owed_to_member"],
                    "trust_late_fees_owed": values["late_fees_owed_to_member"],
                }
            )

    @api.model
    def _coop_get_values(self, membership):
        """The member's trust account, live, in a fixed number of grouped queries.

        "outstanding" is the member's receivable balance as its partner ledger shows it: the
        open invoices less the credits in its favour not applied yet ("credits": credit notes,
        a payment not matched to an invoice, such as an overpayment or a payment received
        before its invoice); a balance in the member's favour is owed to it instead, with the
        bills 24PM has not paid it yet and, after the end, the guarantee to refund."""
        membership.ensure_one()
        today = fields.Date.context_today(membership)
        Move = self.env["account.move"].sudo()
        currency = membership.currency_id
        base = [
            ("state", "=", "posted"),
            ("company_id", "=", membership.company_id.id),
            ("commercial_partner_id", "=", membership.partner_id.id),
        ]
        groups = Move._read_group(
            base + [("move_type", "in", ("out_invoice", "out_refund", "in_invoice", "in_refund"))],
            ["move_type"],
            ["amount_total_signed:sum", "amount_residual_signed:sum"],
        )
        totals = {move_type: (total or 0.0, residual or 0.0) for move_type, total, residual in groups}
        overdue_groups = Move._read_group(
            base
            + [
                ("move_type", "=", "out_invoice"),
                ("invoice_date_due", "<", today),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            [],
            ["amount_residual_signed:sum"],
        )
        overdue = overdue_groups[0][0] or 0.0
        invoiced = totals.get("out_invoice", (0.0, 0.0))[0] + totals.get("out_refund", (0.0, 0.0))[0]
        invoices_open = totals.get("out_invoice", (0.0, 0.0))[1]
        # the member's receivable balance, as the partner ledger reads it: the open invoices less
        # the credits not applied yet (credit notes, payments not matched: an overpayment, a
        # payment received before its invoice)
        receivable = currency.round(self._coop_get_receivable_balance(membership))
        unapplied = currency.round(invoices_open - receivable)
        bills_open = -(totals.get("in_invoice", (0.0, 0.0))[1] + totals.get("in_refund", (0.0, 0.0))[1])
        guarantee, awaiting = self.env["coop.guarantee"]._coop_get_held_and_awaiting(membership)
        # a receivable in the member's favour is owed to it
        owed = bills_open + max(-receivable, 0.0)
        late_fees_owed = self._coop_get_late_fees_owed(membership, today)
        if membership.state == "terminated" and membership.guarantee_id.refund_id.state != "refunded":
            owed += guarantee
        return {
            "invoiced": currency.round(invoiced),
            "paid": currency.round(invoiced - receivable),
            "outstanding": max(receivable, 0.0),
            "credits": max(unapplied, 0.0),
            "overdue": currency.round(overdue),
            "next_invoice": currency.round(membership._get_uninvoiced_amount()),
            "guarantee_balance": guarantee,
            # called online and not paid yet: on the deposits account already (the
            # books hold guarantee_balance + guarantee_awaiting_payment), not held
            "guarantee_awaiting_payment": currency.round(awaiting),
            "owed_to_member": currency.round(owed),
            "late_fees_owed_to_member": late_fees_owed,
        }

    @api.model
    def _coop_get_receivable_balance(self, membership):
        """The member's balance on its receivable accounts (debit positive), as its partner
        ledger shows it: every posted item, so that the trust page and the ledger agree to
        the cent."""
        membership.ensure_one()
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self.env["account.move.line"]._coop_receivable_domain(membership),
                [],
                ["balance:sum"],
            )
        )
        return groups[0][0] or 0.0

    @api.model
    def _coop_flag_discrepancy(self, membership, message, flagged_by=None):
        """The member flags a discrepancy in its trust account: an activity for its PM."""
        membership.ensure_one()
        flagged_by = flagged_by or self.env.user
        flagged_by.partner_id._coop_check_right("finance", membership._coop_no_finance_message())
        if not (message or "").strip():
            raise UserError(self.env._("Describe the discrepancy you see."))
        user = membership._coop_responsible_user(self.env.ref("base.user_admin"))
        membership.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=membership._coop_user_env(user)._("Trust account discrepancy flagged by %s", flagged_by.name),
            note=message.strip(),
        )
        return True

    @api.model
    def _coop_statement_pdf(self, membership, date_start, date_end):
        """Art. 4.7: the member's account statement from ``date_start`` to ``date_end``, OCA
        ``partner_statement``'s activity statement of its receivable, in the member's language
        (SPEC 7.6): ``(content, "pdf")`` (``"html"`` while the tests of the suite stop Odoo's
        reports at HTML)."""
        membership.ensure_one()
        partner = membership.partner_id.commercial_partner_id
        report = self.env.ref("partner_statement.action_print_activity_statement").sudo()
        data = {
            "date_start": date_start,
            "date_end": date_end,
            "company_id": membership.company_id.id,
            "partner_ids": [partner.id],
            "show_aging_buckets": True,
            "show_only_overdue": False,
            "filter_non_due_partners": False,
            "account_type": "asset_receivable",
            "aging_type": "days",
            "filter_negative_balances": False,
            "excluded_accounts_ids": [],
            "is_activity": True,
        }
        return report.with_context(lang=partner.lang or self.env.lang)._render_qweb_pdf(report, [partner.id], data=data)

    @api.model
    def _coop_get_late_fees_owed(self, membership, on_date=None):
        """Art. 6.4.2: the interest and penalty 24PM owes on the sums it pays this member
        late and has not booked yet (the monthly job books them as a vendor bill, which the
        trust page then counts among the amounts owed to the member)."""
        membership.ensure_one()
        on_date = on_date or fields.Date.context_today(membership)
        Move = self.env["account.move"].sudo()
        docs = Move.search(
            [
                *Move._coop_owed_to_member_domain(),
                ("company_id", "=", membership.company_id.id),
                ("commercial_partner_id", "=", membership.partner_id.id),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", on_date),
            ]
        )
        total = sum(
            line["price_unit"]
            for doc in docs
            for line in doc._coop_prepare_owed_fee_lines(membership.regulation_id, on_date)
        )
        return membership.currency_id.round(total)
