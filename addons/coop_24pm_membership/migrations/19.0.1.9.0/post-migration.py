# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 7 (``coop.membership`` a member again): the scheduled actions of the
formal notice (art. 4.3) and of the end of the notice period (art. 4.4.1) are the
suspension's and the end's (``coop.membership.suspension``, ``coop.membership.termination``);
their records (``noupdate``) are pointed at them; run again, nothing changes."""

from odoo import SUPERUSER_ID, api

from odoo.addons.coop_24pm_membership import migration_util

CRONS = (
    (
        "coop_24pm_membership.ir_cron_membership_formal_notice",
        "coop.membership.suspension",
        "model._cron_suspend_after_formal_notice()",
    ),
    (
        "coop_24pm_membership.ir_cron_membership_notice_end",
        "coop.membership.termination",
        "model._cron_terminate_after_notice()",
    ),
)


def point_crons(env):
    """Returns how many scheduled actions changed."""
    return sum(migration_util.point_cron(env, *cron) for cron in CRONS)


def migrate(cr, version):
    point_crons(api.Environment(cr, SUPERUSER_ID, {}))
