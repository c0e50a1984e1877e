# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the guarantee's terms leave ``coop.membership``. Run again, it changes nothing.

Each membership gets its ``coop.guarantee`` (``coop_membership.guarantee_id``) holding the
terms it agreed (credit score and assessment, required, amount) and their follow-up (due
date, unpaid after it); then the membership's columns are dropped. No e-mail template reads
these fields.
"""

from odoo.addons.coop_24pm_membership import migration_util

#: the membership's columns of the guarantee, the same on ``coop_guarantee``
GUARANTEE_COLUMNS = (
    "credit_score",
    "credit_assessment_date",
    "guarantee_required",
    "guarantee_amount",
    "guarantee_due_date",
    "guarantee_overdue",
)


def move_guarantees(cr):
    """A ``coop_guarantee`` for every membership without one (the terms copied); returns the
    number created."""
    return migration_util.move_to_records(
        cr, "coop_guarantee", "guarantee_id", GUARANTEE_COLUMNS, held={"guarantee_required": "TRUE"}
    )


def drop_guarantee_columns(cr):
    """Drop the membership's columns once every membership has its guarantee. Returns
    whether they were dropped."""
    cr.execute("SELECT count(*) FROM coop_membership WHERE guarantee_id IS NULL")
    if cr.fetchone()[0]:
        return False
    return migration_util.drop_membership_columns(cr, GUARANTEE_COLUMNS, when_linked=False)


def migrate(cr, version):
    if version:
        move_guarantees(cr)
        drop_guarantee_columns(cr)
