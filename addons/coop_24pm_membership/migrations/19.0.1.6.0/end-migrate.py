# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 4 (``coop.membership`` a member again).

The formal notice and the suspension (art. 4.3: the notice, its reason, the suspension,
the state it returns to, its reason) are an episode of their own,
``coop.membership.suspension``: a member may be put on formal notice several times. Each
membership holding one of these facts gets its episode, the one in progress
(``suspension_id``); the ``noupdate`` formal notice template reads it; then the
membership's columns are dropped.
"""

from odoo.addons.coop_24pm_membership import migration_util

#: the membership's columns, the same on ``coop_membership_suspension``
MOVED_COLUMNS = (
    "date_formal_notice",
    "formal_notice_reason",
    "date_suspended",
    "state_before_suspension",
    "suspension_reason",
)
TEMPLATES = ("mail_template_membership_formal_notice",)


def move_suspension_values(cr):
    """Create the episode of each membership holding one of its facts and make it the one
    in progress; idempotent (a membership with an episode is left as it is). Returns the
    number of episodes created."""
    return migration_util.move_to_records(cr, "coop_membership_suspension", "suspension_id", MOVED_COLUMNS)


def update_templates(cr):
    """The formal notice (``noupdate``) reads its reason on the episode, in every language."""
    migration_util.rewrite_templates(
        cr,
        "coop_24pm_membership",
        TEMPLATES,
        [("object.formal_notice_reason", "object.suspension_id.formal_notice_reason")],
    )


def drop_suspension_columns(cr):
    migration_util.drop_membership_columns(cr, MOVED_COLUMNS, when_linked=False)


def migrate(cr, version):
    if version:
        move_suspension_values(cr)
        update_templates(cr)
        drop_suspension_columns(cr)
