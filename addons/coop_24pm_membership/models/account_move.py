from datetime import timedelta

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    coop_is_call_for_funds = fields.Boolean(
        "Call for funds",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A B-share subscription or buy-back, or a guarantee deposit: a capital contribution or a "
        "security, not a supply for VAT. Issued as a call for funds with the structured communication, "
        "never sent as an e-invoice (SPEC 7.6).",
    )

    def _coop_call_for_funds_note(self):
        """The line a call for funds prints under its title (SPEC 7.6): it is not a VAT
        invoice, and why. The guarantee addon words its deposits."""
        self.ensure_one()
        if not self.coop_is_call_for_funds:
            return False
        if self.move_type == "out_refund":
            return self.env._(
                "Not a VAT invoice: the reimbursement of shares of the cooperative's capital, outside the scope of VAT."
            )
        return self.env._(
            "Not a VAT invoice: a contribution to the cooperative's capital (subscription of shares), outside "
            "the scope of VAT."
        )

    def _coop_post(self):
        """Post entries made by the suite, never into a closed period.

        An entry dated in a period closed by Odoo's lock dates, or before the last
        entry already secured by hash in its journal, is dated on the first open day
        and says so in its chatter; the document date (invoice date) stays as it was.
        """
        for move in self:
            target = move.date
            violated = move.company_id._get_violated_lock_dates(target, bool(move.line_ids.tax_ids), move.journal_id)
            if violated:
                target = max(lock_date for lock_date, _lock_type in violated) + timedelta(days=1)
            if move.journal_id.restrict_mode_hash_table:
                last_hashed = self.search(
                    [("journal_id", "=", move.journal_id.id), ("inalterable_hash", "!=", False)],
                    order="date desc",
                    limit=1,
                )
                if last_hashed and last_hashed.date > target:
                    target = last_hashed.date
            if target != move.date:
                original = move.date
                move.date = target
                move.message_post(
                    body=self.env._(
                        "Dated %(new)s instead of %(old)s: the period of %(old)s is closed (lock date or secured "
                        "entries).",
                        new=target,
                        old=original,
                    )
                )
        self.action_post()
        return self
