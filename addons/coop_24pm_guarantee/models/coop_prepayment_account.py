from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, float_is_zero

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches


class CoopPrepaymentAccount(models.Model):
    """The member's prepayments (ROI art. 6.1): members without a direct-debit mandate
    pay an agreed amount at an agreed frequency; work is billed against what they prepaid.

    One record per membership (same id), read from the books: the agreement (amount,
    frequency) is the member's (``coop.membership.prepayment_amount`` /
    ``prepayment_frequency``); the schedule is an OCA ``contract`` of the member with one
    line on the advances account (the agreed frequency is its recurrence, ``weekly``,
    ``monthly`` and ``quarterly`` being ``contract``'s own rule types; the next
    prepayment invoice its ``recurring_next_date``); what is prepaid and not used is the
    member's credit on the advances account (460000).

    Issue 21: the prepayment engine left ``coop.membership``, which keeps the agreement."""

    _name = "coop.prepayment.account"
    _description = "Prepayment account"
    _auto = False
    _rec_name = "membership_id"
    _order = "membership_id"
    _depends = {
        "coop.membership": ["partner_id", "company_id"],
        "contract.contract": ["coop_prepayment_membership_id", "active"],
    }

    membership_id = fields.Many2one("coop.membership", "Membership", readonly=True)
    partner_id = fields.Many2one("res.partner", "Company", readonly=True)
    company_id = fields.Many2one("res.company", "Cooperative", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(related="membership_id.prepayment_amount")
    frequency = fields.Selection(related="membership_id.prepayment_frequency")
    contract_id = fields.Many2one("contract.contract", "Prepayment contract", readonly=True)
    next_date = fields.Date(
        "Next prepayment invoice",
        compute="_compute_next_date",
        inverse="_inverse_next_date",
        compute_sudo=True,
        help="Date of the next invoice of the prepayment line of the member's contract.",
    )
    available = fields.Monetary("Prepaid and not used", compute="_compute_available")

    @property
    def _table_query(self):
        return SQL(
            """SELECT m.id, m.id AS membership_id, m.partner_id, m.company_id,
                      (SELECT c.id FROM contract_contract c
                        WHERE c.coop_prepayment_membership_id = m.id AND c.active
                        ORDER BY c.id LIMIT 1) AS contract_id
                 FROM coop_membership m"""
        )

    def _get_lines(self):
        """The prepayment contract lines of these members (one each at most)."""
        return self.sudo().contract_id.contract_line_ids.filtered(lambda line: not line.display_type)

    @api.depends("contract_id.contract_line_ids.recurring_next_date", "contract_id.contract_line_ids.is_canceled")
    def _compute_next_date(self):
        for account in self:
            line = account._get_lines()[:1]
            account.next_date = line.recurring_next_date if line and not line.is_canceled else False

    def _inverse_next_date(self):
        for account in self:
            account._sync_contract_line(next_date=account.next_date or False)

    def _compute_available(self):
        available = self._get_available_amounts()
        for account in self:
            account.available = available.get(account.id, 0.0)

    # ------------------------------------------------------------------
    # the schedule: a line of an OCA contract
    # ------------------------------------------------------------------
    def _prepare_contract_line_vals(self):
        """The agreed prepayment as a line of the member's prepayment contract."""
        self.ensure_one()
        return {
            "name": self.env._("Prepayment for services (art. 6.1)"),
            "quantity": 1.0,
            "automatic_price": False,
            "price_unit": self.amount,
            "recurring_rule_type": self.frequency or "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
        }

    def _prepare_contract_vals(self, next_date):
        """The member's prepayment contract, its line starting on ``next_date``."""
        self.ensure_one()
        return {
            "name": self.env._("%(ref)s - prepayments", ref=self.membership_id.name),
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "contract_type": "sale",
            "line_recurrence": True,
            "date_start": next_date,
            "coop_prepayment_membership_id": self.membership_id.id,
            "contract_line_ids": [Command.create({**self._prepare_contract_line_vals(), "date_start": next_date})],
        }

    def _sync_contract_line(self, next_date=None):
        """Keep the prepayment contract line in step with the agreement: amount, frequency
        and, when ``next_date`` is given, the date of the next invoice (``False`` stops the
        schedule). The line is created with the first date; the periods already invoiced
        are kept, so the next invoice is neither skipped nor repeated."""
        self.ensure_one()
        line = self._get_lines()[:1]
        if not line:
            if not next_date:
                return
            contract = self.env["contract.contract"].sudo().create(self._prepare_contract_vals(next_date))
            # the contract is read by the query of this model: read it again
            self.invalidate_recordset(["contract_id", "next_date"])
            return contract.contract_line_ids
        vals = self._prepare_contract_line_vals()
        if next_date is False:
            vals["is_canceled"] = True
        elif next_date:
            vals["is_canceled"] = False
            last = line.last_date_invoiced
            if not last or next_date <= line.date_start:
                vals.update({"date_start": next_date, "last_date_invoiced": False})
            elif next_date <= last:
                vals["last_date_invoiced"] = next_date - relativedelta(days=1)
            vals["recurring_next_date"] = next_date
        line.write(vals)
        return line

    def _prepare_invoice_line_vals(self):
        """Invoice line of a prepayment: the agreed amount on the advances-received account,
        without tax (art. 6.1)."""
        self.ensure_one()
        frequencies = dict(self.membership_id._fields["prepayment_frequency"]._description_selection(self.env))
        return {
            "name": self.env._(
                "Prepayment for services (art. 6.1), %(freq)s", freq=frequencies.get(self.frequency, "")
            ),
            "quantity": 1,
            "price_unit": self.amount,
            "account_id": self.company_id._coop_get_prepayment_account().id,
            "tax_ids": [Command.clear()],
        }

    def action_invoice(self):
        """Invoice the agreed prepayment on the advances-received account now, outside
        the schedule (a funded project's first tranche); the schedule is unchanged."""
        moves = self.env["account.move"]
        for account in self:
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": account.partner_id.id,
                    "company_id": account.company_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "coop_is_prepayment": True,
                    "invoice_line_ids": [Command.create(account._prepare_invoice_line_vals())],
                }
            )
            move._coop_post()
            moves |= move
        return moves

    # ------------------------------------------------------------------
    # what is prepaid and not used, applied to invoices
    # ------------------------------------------------------------------
    def _get_available_amounts(self):
        """{id: prepayments paid and not applied yet}: the credit of the advances account
        for the member, less the prepayment invoices still unpaid; two grouped queries for
        all of these members (per company). A figure of the books: read whoever asks (the
        funded-work checks of a timesheet, a portal page). Read on the memberships (same
        ids), whose partner and company the caller has mostly read already."""
        result = {}
        members = self.env["coop.membership"].sudo().browse(id_ for id_ in self._ids if id_)
        for company in members.company_id:
            company_members = members.filtered(lambda m, c=company: m.company_id == c)
            account = company._coop_find_account("coop_prepayment_account_id", "46", ["liability_current"])
            if not account:
                continue
            partners = company_members.partner_id
            balances = dict(
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("account_id", "=", account.id),
                        ("partner_id", "in", partners.ids),
                        ("parent_state", "=", "posted"),
                        ("company_id", "=", company.id),
                    ],
                    ["partner_id"],
                    ["balance:sum"],
                )
            )
            unpaid = dict(
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("coop_is_prepayment", "=", True),
                        ("state", "=", "posted"),
                        ("commercial_partner_id", "in", partners.ids),
                        ("company_id", "=", company.id),
                    ],
                    ["commercial_partner_id"],
                    ["amount_residual:sum"],
                )
            )
            for membership in company_members:
                partner = membership.partner_id
                amount = -(balances.get(partner) or 0.0) - (unpaid.get(partner) or 0.0)
                result[membership.id] = max(membership.currency_id.round(amount), 0.0)
        return result

    def _get_available(self):
        """Prepayments paid and not applied yet, read now from the posted books."""
        self.ensure_one()
        return self._get_available_amounts().get(self.id, 0.0)

    def _transfer_move(self, amount, label, counterpart, reconcile_with=None):
        """A posted entry from the prepayments received account (460000) to
        ``counterpart`` (the receivable or the payable of the member), reconciled with the
        receivable lines ``reconcile_with``: a prepayment applied to an invoice, released
        or refunded (funded work)."""
        self.ensure_one()
        company = self.sudo().company_id
        partner = self.sudo().partner_id
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company._coop_get_misc_journal().id,
                    "date": fields.Date.context_today(self),
                    "ref": label,
                    "company_id": company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": company._coop_get_prepayment_account().id,
                                "debit": amount,
                                "partner_id": partner.id,
                            }
                        ),
                        Command.create(
                            {"name": label, "account_id": counterpart.id, "credit": amount, "partner_id": partner.id}
                        ),
                    ],
                }
            )
        )
        move._coop_post()
        if reconcile_with:
            (reconcile_with | move.line_ids.filtered(lambda line: line.account_id == counterpart)).reconcile()
        return move

    def _apply(self, invoices=None):
        """Settle open invoices (``invoices``, or all the member's due invoices) with the
        prepayments available, oldest due first: an entry from the advances account to the
        receivable, reconciled with the invoice."""
        applied = self.env["account.move"]
        for account in self:
            membership = account.membership_id
            available = account._get_available()
            currency = account.currency_id
            if float_is_zero(available, precision_rounding=currency.rounding):
                continue
            todo = invoices if invoices is not None else self.env["account.move"]._coop_due_invoices(membership)
            # what a payment order not uploaded yet collects is settled by that order
            todo = todo.filtered(
                lambda m, p=account.partner_id: (
                    not m.coop_is_prepayment
                    and m.commercial_partner_id == p
                    and not m.line_ids._coop_get_pending_payment_lines()
                )
            )
            for invoice in todo.sorted(lambda i: (i.invoice_date_due or i.invoice_date, i.id)):
                amount = min(available, invoice._coop_get_undisputed_residual())
                if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
                    continue
                receivable = invoice.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
                label = self.env._("Prepayment applied to %s", invoice.name)
                account._transfer_move(amount, label, receivable[:1].account_id, receivable)
                applied |= invoice
                available = currency.round(available - amount)
                if float_is_zero(available, precision_rounding=currency.rounding):
                    break
        return applied

    @api.model
    def _cron_prepayments(self):
        """Invoice the agreed prepayments that are due (OCA ``contract`` invoices the due
        line for its period and moves its next date on) and apply the paid ones to open
        invoices, for the members paying by prepayments. Returns the prepayment accounts
        invoiced."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative prepayments")
        Membership = self.env["coop.membership"]
        members = Membership.search(
            Domain("coop_payment_mode", "=", "prepayment")
            & Membership._coop_state_domain("working")
            & Domain("company_id", "in", ready.ids)
        )
        due = members._get_prepayment_account().filtered(
            lambda a: a.amount > 0 and a.next_date and a.next_date <= today
        )

        def invoice_prepayment(membership):
            membership._get_prepayment_account().contract_id._recurring_create_invoice(date_ref=today)

        # the members' rows are locked, batch by batch, as every job on members does
        done = run_in_batches(due.membership_id, invoice_prepayment)
        run_in_batches(members, lambda membership: membership._get_prepayment_account()._apply())
        return done._get_prepayment_account()
