# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: once every membership points to its application (pre-migration), the
journey's old columns of ``coop_membership`` are dropped (Odoo keeps the column of a
removed field)."""

from psycopg2 import sql

JOURNEY_COLUMNS = (
    "acceptance",
    "refusal_reason",
    "date_sent",
    "signatory_name",
    "signatory_capacity",
    "signatory_has_power",
    "signed_by_user_id",
    "origin",
)


def drop_journey_columns(cr, columns=JOURNEY_COLUMNS):
    cr.execute("SELECT count(*) FROM coop_membership WHERE application_id IS NULL")
    if cr.fetchone()[0]:
        # never lose a legacy membership's values: the pre-migration links them all
        return False
    for column in columns:
        cr.execute(sql.SQL("ALTER TABLE coop_membership DROP COLUMN IF EXISTS {}").format(sql.Identifier(column)))
    return True


def migrate(cr, version):
    if version:
        drop_journey_columns(cr)
