from odoo import models

from .guarantee_rules import structured_communication


class AccountBankStatementLine(models.Model):
    """SPEC 7.2: money from members arrives through the bank statement and is matched to its
    invoice, call for funds or guarantee by the Belgian structured communication.

    A line carrying a structured communication is reconciled only when the communication
    names exactly one open document of the same member for exactly the amount received;
    otherwise it is left for staff in OCA's reconciliation screen, never matched on a guess.
    Lines without one follow OCA's own rules.

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

    def _do_auto_reconcile(self, reconcile_if_possible=True):
        if not reconcile_if_possible:
            return super()._do_auto_reconcile(reconcile_if_possible)
        structured = self.browse()
        left = self.browse()
        for st_line in self.filtered(lambda line: not line.is_reconciled):
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
        return super(AccountBankStatementLine, self - structured)._do_auto_reconcile(reconcile_if_possible)
