from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import float_compare, float_is_zero

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches


class CoopMembership(models.Model):
    """Prepayments (art. 6.1): members without a direct-debit mandate pay an agreed
    amount at an agreed frequency; work is billed against what they prepaid.

    The schedule is an OCA ``contract`` of the member with one line on the advances
    account: the agreed frequency is its recurrence (``weekly``, ``monthly``,
    ``quarterly`` are ``contract``'s own rule types), the next prepayment invoice its
    ``recurring_next_date``."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    prepayment_contract_ids = fields.One2many(
        "contract.contract", "coop_prepayment_membership_id", "Prepayment contract", readonly=True
    )
    prepayment_next_date = fields.Date(
        "Next prepayment invoice",
        compute="_compute_prepayment_next_date",
        inverse="_inverse_prepayment_next_date",
        compute_sudo=True,
        help="Date of the next invoice of the prepayment line of the member's contract.",
    )
    prepayment_available = fields.Monetary("Prepaid and not used", compute="_compute_prepayment_available")

    def _get_prepayment_lines(self):
        """The prepayment contract lines of these members (one each at most)."""
        return self.sudo().prepayment_contract_ids.contract_line_ids.filtered(lambda line: not line.display_type)

    @api.depends(
        "prepayment_contract_ids.contract_line_ids.recurring_next_date",
        "prepayment_contract_ids.contract_line_ids.is_canceled",
    )
    def _compute_prepayment_next_date(self):
        for membership in self:
            line = membership._get_prepayment_lines()[:1]
            membership.prepayment_next_date = line.recurring_next_date if line and not line.is_canceled else False

    def _inverse_prepayment_next_date(self):
        for membership in self:
            membership._coop_sync_prepayment_line(next_date=membership.prepayment_next_date or False)

    def write(self, vals):
        res = super().write(vals)
        if {"prepayment_amount", "prepayment_frequency"} & set(vals) and "prepayment_next_date" not in vals:
            for membership in self:
                membership._coop_sync_prepayment_line()
        return res

    def _prepare_prepayment_line_vals(self):
        """The agreed prepayment as a line of the member's prepayment contract."""
        self.ensure_one()
        return {
            "name": self.env._("Prepayment for services (art. 6.1)"),
            "quantity": 1.0,
            "automatic_price": False,
            "price_unit": self.prepayment_amount,
            "recurring_rule_type": self.prepayment_frequency or "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
        }

    def _coop_sync_prepayment_line(self, next_date=None):
        """Keep the prepayment contract line in step with the agreement: amount, frequency
        and, when ``next_date`` is given, the date of the next invoice (``False`` stops the
        schedule). The line is created with the first date; the periods already invoiced
        are kept, so the next invoice is neither skipped nor repeated."""
        self.ensure_one()
        line = self._get_prepayment_lines()[:1]
        if not line:
            if not next_date:
                return
            contract = (
                self.env["contract.contract"]
                .sudo()
                .create(
                    {
                        "name": self.env._("%(ref)s - prepayments", ref=self.name),
                        "partner_id": self.partner_id.id,
                        "company_id": self.company_id.id,
                        "contract_type": "sale",
                        "line_recurrence": True,
                        "date_start": next_date,
                        "coop_prepayment_membership_id": self.id,
                        "contract_line_ids": [
                            Command.create({**self._prepare_prepayment_line_vals(), "date_start": next_date})
                        ],
                    }
                )
            )
            return contract.contract_line_ids
        vals = self._prepare_prepayment_line_vals()
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

    def _prepare_prepayment_invoice_line_vals(self):
        """Invoice line of a prepayment: the agreed amount on the advances-received account,
        without tax (art. 6.1)."""
        self.ensure_one()
        return {
            "name": self.env._(
                "Prepayment for services (art. 6.1), %(freq)s",
                freq=dict(self._fields["prepayment_frequency"]._description_selection(self.env)).get(
                    self.prepayment_frequency, ""
                ),
            ),
            "quantity": 1,
            "price_unit": self.prepayment_amount,
            "account_id": self.company_id._coop_get_prepayment_account().id,
            "tax_ids": [Command.clear()],
        }

    def _compute_prepayment_available(self):
        available = self._coop_get_prepayments_available()
        for membership in self:
            membership.prepayment_available = available.get(membership.id, 0.0)

    def _coop_get_prepayments_available(self):
        """{membership id: ``_coop_get_prepayment_available()``} of these members, with two
        grouped queries for all of them (per company)."""
        result = {}
        members = self.filtered("id")
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

    def _coop_get_prepayment_available(self):
        """Prepayments paid and not applied yet: credit of the advances account for the
        member, less the prepayment invoices still unpaid (two grouped queries)."""
        self.ensure_one()
        account = self.company_id._coop_find_account("coop_prepayment_account_id", "46", ["liability_current"])
        if not account:
            return 0.0
        balance = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "=", account.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("parent_state", "=", "posted"),
                    ("company_id", "=", self.company_id.id),
                ],
                [],
                ["balance:sum"],
            )[0][0]
            or 0.0
        )
        unpaid = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("coop_is_prepayment", "=", True),
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                ],
                [],
                ["amount_residual:sum"],
            )[0][0]
            or 0.0
        )
        return max(self.currency_id.round(-balance - unpaid), 0.0)

    def action_invoice_prepayment(self):
        """Invoice the agreed prepayment on the advances-received account now, outside
        the schedule (a funded project's first tranche); the schedule is unchanged."""
        moves = self.env["account.move"]
        for membership in self:
            company = membership.company_id
            date = fields.Date.context_today(self)
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": membership.partner_id.id,
                    "company_id": company.id,
                    "invoice_date": date,
                    "coop_is_prepayment": True,
                    "invoice_line_ids": [Command.create(membership._prepare_prepayment_invoice_line_vals())],
                }
            )
            move._coop_post()
            moves |= move
        return moves

    def _coop_prepayment_transfer_move(self, amount, label, counterpart, reconcile_with=None):
        """A posted entry from the prepayments received account (460000) to
        ``counterpart`` (the receivable or the payable of the member), reconciled with the
        receivable lines ``reconcile_with``: a prepayment applied to an invoice, released
        or refunded (funded work)."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id
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

    def _coop_apply_prepayments(self, invoices=None):
        """Settle open invoices with the prepayments available: an entry from the
        advances account to the receivable, reconciled with the invoice."""
        applied = self.env["account.move"]
        for membership in self:
            available = membership._coop_get_prepayment_available()
            rounding = membership.currency_id.rounding
            if float_is_zero(available, precision_rounding=rounding):
                continue
            todo = invoices if invoices is not None else membership._coop_get_due_invoices()
            todo = todo.filtered(
                lambda m, p=membership.partner_id: not m.coop_is_prepayment and m.commercial_partner_id == p
            )
            for invoice in todo.sorted(lambda i: (i.invoice_date_due or i.invoice_date, i.id)):
                amount = min(available, invoice._coop_get_undisputed_residual())
                if float_compare(amount, 0.0, precision_rounding=rounding) <= 0:
                    continue
                receivable = invoice.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
                label = self.env._("Prepayment applied to %s", invoice.name)
                membership._coop_prepayment_transfer_move(amount, label, receivable[:1].account_id, receivable)
                applied |= invoice
                available = membership.currency_id.round(available - amount)
                if float_is_zero(available, precision_rounding=rounding):
                    break
        return applied

    @api.model
    def _cron_coop_prepayments(self):
        """Invoice the agreed prepayments that are due and apply paid ones to open invoices."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative prepayments")
        members = self.search(
            Domain("coop_payment_mode", "=", "prepayment")
            & self._coop_state_domain("working")
            & Domain("company_id", "in", ready.ids)
        )
        due = members.filtered(
            lambda m: m.prepayment_amount > 0 and m.prepayment_next_date and m.prepayment_next_date <= today
        )

        def invoice_prepayment(membership):
            # OCA contract: the due line is invoiced for its period and its next date moves on
            membership._get_prepayment_lines().contract_id._recurring_create_invoice(date_ref=today)

        done = run_in_batches(due, invoice_prepayment)
        run_in_batches(members, lambda membership: membership._coop_apply_prepayments())
        return done
