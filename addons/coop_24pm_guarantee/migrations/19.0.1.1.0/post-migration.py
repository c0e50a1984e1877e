# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SPEC 7.5 (issue 15): the credit line moves to the partner's credit limit (OCA
account_financial_risk), and a 2023 guarantee is required only after a recorded credit
assessment."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'coop_membership' AND column_name IN ('has_credit_line', 'credit_line_amount')"
    )
    if len(cr.fetchall()) == 2:
        cr.execute(
            "SELECT partner_id, MAX(credit_line_amount) FROM coop_membership "
            "WHERE has_credit_line AND credit_line_amount > 0 GROUP BY partner_id"
        )
        for partner_id, amount in cr.fetchall():
            partner = env["res.partner"].browse(partner_id)
            if not partner.credit_limit:
                partner.credit_limit = amount
    # a score staff recorded is an assessment; a score of 0 was never recorded
    cr.execute(
        "UPDATE coop_membership SET credit_assessment_date = COALESCE(write_date, create_date)::date "
        "WHERE credit_assessment_date IS NULL AND COALESCE(credit_score, 0) != 0"
    )
    memberships = env["coop.membership"].search([])
    env.add_to_compute(memberships._fields["guarantee_required"], memberships)
    memberships.flush_recordset()
