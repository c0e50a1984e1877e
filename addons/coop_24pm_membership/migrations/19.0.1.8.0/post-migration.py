# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 6 (``coop.membership`` a member again): the retention of a former
member's personal data runs from the end of its membership, so its dates are the end's
(``coop.membership.termination``); the weekly job is ``coop.personal.data.retention``'s
(``_cron_due``). The anonymisation date moves to the end's record (created when a legacy
membership has none), the membership's column is dropped, the scheduled action
(``noupdate``) is pointed at its new model; run again, nothing changes."""

from psycopg2 import sql

from odoo import SUPERUSER_ID, api

from odoo.addons.coop_24pm_membership import migration_util

MOVED_COLUMNS = ("coop_data_anonymised_date",)
CRON = (
    "coop_24pm_membership.ir_cron_membership_personal_data_due",
    "coop.personal.data.retention",
    "model._cron_due()",
)


def move_anonymised_dates(cr):
    """The end's record of each membership takes its anonymisation date: the existing one,
    else a new one; idempotent. Returns the number of records created."""
    present = migration_util.table_columns(cr, "coop_membership")
    for column in MOVED_COLUMNS:
        if column not in present:
            continue
        cr.execute(
            sql.SQL(
                """
                UPDATE coop_membership_termination t SET {column} = m.{column}
                  FROM coop_membership m
                 WHERE m.termination_id = t.id AND t.{column} IS NULL AND m.{column} IS NOT NULL
                """
            ).format(column=sql.Identifier(column))
        )
    return migration_util.move_to_records(cr, "coop_membership_termination", "termination_id", MOVED_COLUMNS)


def drop_moved_columns(cr):
    migration_util.drop_membership_columns(cr, MOVED_COLUMNS, when_linked=False)


def migrate(cr, version):
    if version:
        move_anonymised_dates(cr)
        drop_moved_columns(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    migration_util.point_cron(env, *CRON)
