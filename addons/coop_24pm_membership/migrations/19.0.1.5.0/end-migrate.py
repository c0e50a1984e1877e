# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 3 (``coop.membership`` a member again).

The end of a membership (art. 4.4, 9, 10: the notice given, the termination, the serious
fault and its indemnity, the non-solicitation period) is a record of its own,
``coop.membership.termination``. Each membership holding one of these facts gets its record
(``termination_id``), then the membership's columns are dropped.
"""

from psycopg2 import sql

from odoo.addons.coop_24pm_membership import migration_util

#: the membership's columns, the same on ``coop_membership_termination``
MOVED_COLUMNS = (
    "date_notice",
    "notice_given_by",
    "notice_days",
    "date_terminated",
    "termination_type",
    "fault_party",
    "fault_description",
    "fault_indemnity_amount",
    "non_solicitation_end",
)


def move_termination_values(cr):
    """Create the end's record of each membership holding one of its facts; idempotent
    (a membership already linked is left as it is). Returns the number of records created."""
    present = [column for column in MOVED_COLUMNS if column in migration_util.table_columns(cr, "coop_membership")]
    if not present:
        return 0
    held = sql.SQL(" OR ").join(
        sql.SQL("COALESCE(m.{} <> 0, FALSE)" if column == "notice_days" else "m.{} IS NOT NULL").format(
            sql.Identifier(column)
        )
        for column in present
    )
    columns = sql.SQL(", ").join(sql.Identifier(column) for column in present)
    values = sql.SQL(", ").join(sql.SQL("m.{}").format(sql.Identifier(column)) for column in present)
    cr.execute(
        sql.SQL(
            """
            WITH created AS (
                INSERT INTO coop_membership_termination
                       (membership_id, company_id, create_uid, create_date, write_uid, write_date, {columns})
                SELECT m.id, m.company_id, 1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC', {values}
                  FROM coop_membership m
                 WHERE m.termination_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM coop_membership_termination t WHERE t.membership_id = m.id)
                   AND ({held})
             RETURNING id, membership_id
            )
            UPDATE coop_membership m SET termination_id = created.id FROM created WHERE created.membership_id = m.id
            """
        ).format(columns=columns, values=values, held=held)
    )
    count = cr.rowcount
    # a record created without its link (should not happen): link it
    cr.execute(
        """
        UPDATE coop_membership m SET termination_id = t.id
          FROM coop_membership_termination t
         WHERE t.membership_id = m.id AND m.termination_id IS NULL
        """
    )
    return count


def drop_termination_columns(cr):
    migration_util.drop_membership_columns(cr, MOVED_COLUMNS, when_linked=False)


def migrate(cr, version):
    if version:
        move_termination_values(cr)
        drop_termination_columns(cr)
