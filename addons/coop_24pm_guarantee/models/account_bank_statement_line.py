import re
from collections import Counter

from odoo import models

from .guarantee_rules import structured_communication

# what OCA's CAMT import writes in a line's notes for the entry's Refs/EndToEndId (the label
# before the parenthesis is translated, not the path); OCA's pain.008 / pain.001 put the
# payment's id there (``str(line.id)`` over the order's payments)
END_TO_END_ID = re.compile(r"\(Refs/EndToEndId\):\s*(\d{1,15})(?!\d)")


class AccountBankStatementLine(models.Model):
    """SPEC 7.2: money from members arrives through the bank statement and is matched to its
    invoice, call for funds or guarantee by the Belgian structured communication.

    A line carrying a structured communication is reconciled only when the communication
    names exactly one open document of the same member for exactly the amount received;
    otherwise it is left for staff in OCA's reconciliation screen, never matched on a guess.
    Lines without one follow OCA's own rules.

    A line of a SEPA collection (or credit transfer) comes first: when its EndToEndId names
    a payment of a direct debit (credit transfer) order uploaded to the bank, of the same
    company and bank journal, not returned and not reconciled yet, for exactly the line's
    amount, the line is reconciled with that payment's outstanding receipts (payments) item,
    which the upload reconciled with the invoice: the invoice is paid. Anything else is left
    for staff.

    A document in a payment order not uploaded yet is never matched automatically: the
    order collects it (``account.move.line._coop_check_not_in_pending_payment_order``);
    staff decide in the reconciliation screen."""

    _inherit = "account.bank.statement.line"

    def _coop_get_structured_communication(self):
        self.ensure_one()
        return structured_communication(self.ref) or structured_communication(self.payment_ref)

    def _coop_get_matching_receivables(self, communication):
        """Open receivable lines of the posted member document bearing ``communication``
        (none when a payment order not uploaded yet collects it)."""
        self.ensure_one()
        receivables = self.env["account.move.line"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("move_id.payment_reference", "=", communication),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ]
        )
        return receivables if not receivables._coop_get_pending_payment_lines() else receivables.browse()

    def _coop_check_match(self, receivables):
        """The receivables settle the line exactly: one document, the same member, the same amount."""
        self.ensure_one()
        if len(receivables.move_id) != 1:
            return False
        partner = receivables.move_id.commercial_partner_id
        if self.partner_id and self.partner_id.commercial_partner_id != partner:
            return False
        currency = self.company_id.currency_id
        return currency.compare_amounts(sum(receivables.mapped("amount_residual")), self.amount) == 0

    def _coop_reconcile_receivables(self, receivables):
        """Reconcile the line with ``receivables`` through OCA's reconciliation data, as its
        own automatic matching does."""
        self.ensure_one()
        if not self.partner_id:
            self.partner_id = receivables.move_id.commercial_partner_id
        liquidity_lines, _suspense_lines, _other_lines = self._seek_for_lines()
        data, aux = [], 1
        for line in liquidity_lines:
            aux, lines = self._get_reconcile_line(line, "liquidity", reconcile_auxiliary_id=aux, move=True)
            data += lines
        remaining = self.amount
        for receivable in receivables:
            aux, lines = self._get_reconcile_line(
                receivable, "other", is_counterpart=True, max_amount=remaining, reconcile_auxiliary_id=aux, move=True
            )
            data += lines
            remaining -= receivable.amount_residual
        self.reconcile_data_info = self._recompute_suspense_line(data, aux, self.manual_reference)
        if not self.reconcile_data_info.get("can_reconcile"):
            return False
        self.reconcile_bank_line()
        return True

    def _do_auto_reconcile_invoices(self):
        """OCA's matching by reference leaves alone a document that a payment order not
        uploaded yet collects: reconciling it would be refused and stop the import."""
        to_do, done = super()._do_auto_reconcile_invoices()
        pending = done.filtered(lambda st_line: st_line._coop_get_counterparts()._coop_get_pending_payment_lines())
        for st_line in pending:
            st_line.reconcile_data_info = st_line._default_reconcile_data()
        return to_do | pending, done - pending

    def reconcile_bank_line(self):
        """Staff's reconciliation: a document a payment order not uploaded yet collects is
        refused before the statement's entry changes."""
        self._coop_get_counterparts()._coop_check_may_be_settled_otherwise()
        return super().reconcile_bank_line()

    def _coop_get_counterparts(self):
        """The journal items the proposed reconciliation of this line settles."""
        self.ensure_one()
        ids = [
            aml_id
            for line in (self.reconcile_data_info or {}).get("data", [])
            for aml_id in (line.get("counterpart_line_ids") or [])
        ]
        return self.env["account.move.line"].browse(ids)

    def _coop_get_end_to_end_id(self):
        """The EndToEndId of the bank's entry when it can name a payment (digits), else None."""
        self.ensure_one()
        match = END_TO_END_ID.search(str(self.narration or ""))
        return int(match.group(1)) if match else None

    def _coop_get_collected_payments(self):
        """{statement line: its payment's outstanding items} for the lines whose EndToEndId
        names a payment of an uploaded OCA payment order that settles the line exactly: the
        same company and journal, the same currency and direction, the same member (when the
        import found one), the payment not returned by the bank, its outstanding item open
        for exactly the line's amount. One query for all the lines; a payment named by two
        lines is left for staff."""
        ids = {}
        for st_line in self.filtered(lambda line: not line.is_reconciled and not line.foreign_currency_id):
            payment_id = st_line._coop_get_end_to_end_id()
            if payment_id:
                ids[st_line] = payment_id
        if not ids:
            return {}
        payments = (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("id", "in", list(set(ids.values()))),
                    ("company_id", "in", self.company_id.ids),
                    ("payment_order_id.state", "=", "uploaded"),
                    ("state", "not in", ("draft", "canceled", "rejected")),
                    # a debit returned by the bank (OCA's payment return marks the reconciliation
                    # it undid with the invoices it reopened)
                    ("move_id.line_ids", "not any", [("matched_debit_ids.origin_returned_move_ids", "!=", False)]),
                ]
            )
        )
        payments_by_id = {payment.id: payment for payment in payments}
        named = Counter(ids.values())
        result = {}
        for st_line, payment_id in ids.items():
            payment = payments_by_id.get(payment_id)
            if not payment or named[payment_id] > 1:
                continue
            member = st_line.partner_id.commercial_partner_id
            if (
                payment.company_id != st_line.company_id
                or payment.journal_id != st_line.journal_id
                or payment.currency_id != st_line.currency_id
                or payment.move_id.state != "posted"
                or (member and member != payment.partner_id.commercial_partner_id)
            ):
                continue
            currency = st_line.currency_id
            signed_amount = payment.amount if payment.payment_type == "inbound" else -payment.amount
            outstanding = payment._seek_for_lines()[0]
            if (
                not outstanding
                or any(outstanding.mapped("reconciled"))
                or currency.compare_amounts(signed_amount, st_line.amount) != 0
                or currency.compare_amounts(sum(outstanding.mapped("amount_residual_currency")), st_line.amount) != 0
            ):
                continue
            result[st_line] = outstanding.with_env(self.env)
        return result

    def _do_auto_reconcile(self, reconcile_if_possible=True):
        if not reconcile_if_possible:
            return super()._do_auto_reconcile(reconcile_if_possible)
        collected = self.browse()
        for st_line, outstanding in self._coop_get_collected_payments().items():
            if st_line._coop_reconcile_receivables(outstanding):
                collected |= st_line
        structured = self.browse()
        left = self.browse()
        for st_line in (self - collected).filtered(lambda line: not line.is_reconciled):
            communication = st_line._coop_get_structured_communication()
            if not communication:
                continue
            structured |= st_line
            receivables = st_line._coop_get_matching_receivables(communication)
            if not (st_line._coop_check_match(receivables) and st_line._coop_reconcile_receivables(receivables)):
                left |= st_line
        if left:
            # suggestions for staff in the reconciliation screen, nothing reconciled
            super(AccountBankStatementLine, left)._do_auto_reconcile(False)
        return super(AccountBankStatementLine, self - collected - structured)._do_auto_reconcile(reconcile_if_possible)
