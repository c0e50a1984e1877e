from odoo import fields, models, tools
from odoo.tools import SQL


class CoopTrustAccount(models.Model):
    """The member's trust account (SPEC 4.2, art. 4.7), read live: a report with one record
    per membership (same id), its amounts computed by ``coop.membership._get_trust_account_values``.

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
    guarantee_balance = fields.Monetary(related="membership_id.guarantee_balance", string="Guarantee held")
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
            values = account.membership_id._get_trust_account_values()
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
