from odoo import models
from odoo.exceptions import UserError


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

    def _complete_stmts_vals(self, stmts_vals, journal, account_number):
        """SPEC 7.2: a bank statement is imported once. The bank names each statement (CAMT
        ``Stmt/Id``); a statement of that name already in the journal refuses the whole file,
        whatever the lines (CAMT lines carry no unique import id to filter them on)."""
        stmts_vals = super()._complete_stmts_vals(stmts_vals, journal, account_number)
        names = [vals["name"] for vals in stmts_vals if vals.get("name")]
        if names:
            existing = self.env["account.bank.statement"].search(
                [("journal_id", "=", journal.id), ("name", "in", names)], limit=1
            )
            if existing:
                raise UserError(
                    self.env._(
                        "Statement %(name)s of %(journal)s was already imported on %(date)s: a bank statement "
                        "is imported once.",
                        name=existing.name,
                        journal=journal.display_name,
                        date=existing.create_date.date(),
                    )
                )
        return stmts_vals
