# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 8 (``coop.membership`` a member again): the date a company that joined
while being incorporated was last asked for its VAT number (SPEC 2.1.8) is the company's
(``res.partner.coop_date_vat_reminder``): each company takes the latest of its memberships'
``date_vat_reminder``, then the membership's column is dropped; run again, nothing changes."""

from odoo.addons.coop_24pm_membership import migration_util


def move_vat_reminder(cr):
    """Returns how many companies took their date."""
    if "date_vat_reminder" not in migration_util.table_columns(cr, "coop_membership"):
        return 0
    cr.execute("ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS coop_date_vat_reminder date")
    cr.execute(
        """
        UPDATE res_partner p
           SET coop_date_vat_reminder = m.last_asked
          FROM (SELECT partner_id, max(date_vat_reminder) AS last_asked
                  FROM coop_membership
                 WHERE date_vat_reminder IS NOT NULL
              GROUP BY partner_id) m
         WHERE m.partner_id = p.id
           AND (p.coop_date_vat_reminder IS NULL OR p.coop_date_vat_reminder < m.last_asked)
        """
    )
    moved = cr.rowcount
    migration_util.drop_membership_columns(cr, ["date_vat_reminder"], when_linked=False)
    return moved


def migrate(cr, version):
    move_vat_reminder(cr)
