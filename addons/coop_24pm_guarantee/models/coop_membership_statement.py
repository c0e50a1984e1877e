from odoo import models


class CoopMembershipStatement(models.Model):
    """Art. 4.7: the member's account statement, OCA ``partner_statement``'s activity
    statement of its receivable, as the portal offers it for download."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_statement_data(self, date_start, date_end):
        """The values OCA's activity statement wizard gives its report, for this member."""
        self.ensure_one()
        return {
            "date_start": date_start,
            "date_end": date_end,
            "company_id": self.company_id.id,
            "partner_ids": [self.partner_id.commercial_partner_id.id],
            "show_aging_buckets": True,
            "show_only_overdue": False,
            "filter_non_due_partners": False,
            "account_type": "asset_receivable",
            "aging_type": "days",
            "filter_negative_balances": False,
            "excluded_accounts_ids": [],
            "is_activity": True,
        }

    def _coop_statement_pdf(self, date_start, date_end):
        """The PDF of the member's activity statement from ``date_start`` to ``date_end``,
        in the member's language (SPEC 7.6): ``(content, "pdf")`` (``"html"`` while the
        tests of the suite stop Odoo's reports at HTML)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        report = self.env.ref("partner_statement.action_print_activity_statement").sudo()
        return report.with_context(lang=partner.lang or self.env.lang)._render_qweb_pdf(
            report, [partner.id], data=self._coop_statement_data(date_start, date_end)
        )
