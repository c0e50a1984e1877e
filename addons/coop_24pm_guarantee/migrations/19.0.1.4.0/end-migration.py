# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 2: the guarantee invoiced online is the application's
(``membership.application_id.join_guarantee_move_id``), like the B-share invoice
(coop_24pm_membership 19.0.1.4.0); the membership's column goes.

At the end of the update (every membership is linked to an application since
coop_24pm_membership 19.0.1.3.0):
1. an application without a guarantee invoice takes the membership's;
2. the membership's column is dropped, only once every membership is linked.
"""

from psycopg2 import sql

COLUMNS = ("join_guarantee_move_id",)


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return {row[0] for row in cr.fetchall()}


def copy_to_applications(cr):
    present = [column for column in COLUMNS if column in _columns(cr, "coop_membership")]
    for column in present:
        cr.execute(
            sql.SQL(
                """
                UPDATE coop_membership_application a
                   SET {col} = m.{col}
                  FROM coop_membership m
                 WHERE m.application_id = a.id AND a.{col} IS NULL AND m.{col} IS NOT NULL
                """
            ).format(col=sql.Identifier(column))
        )


def drop_columns(cr):
    cr.execute("SELECT count(*) FROM coop_membership WHERE application_id IS NULL")
    if cr.fetchone()[0]:
        return False  # never lose a legacy membership's values
    for column in COLUMNS:
        cr.execute(sql.SQL("ALTER TABLE coop_membership DROP COLUMN IF EXISTS {}").format(sql.Identifier(column)))
    return True


def migrate(cr, version):
    if version:
        copy_to_applications(cr)
        drop_columns(cr)
