# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 3 (``coop.membership`` a member again).

The end of a membership (art. 4.4, 9, 10: the notice given, the termination, the serious
fault and its indemnity, the non-solicitation period) is a record of its own,
``coop.membership.termination``. Each membership holding one of these facts gets its record
(``termination_id``), then the membership's columns are dropped.
"""

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
    count = migration_util.move_to_records(
        cr,
        "coop_membership_termination",
        "termination_id",
        MOVED_COLUMNS,
        held={"notice_days": "COALESCE(m.{} <> 0, FALSE)"},
    )
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
