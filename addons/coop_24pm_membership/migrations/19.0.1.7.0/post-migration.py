# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 5 (``coop.membership`` a member again): the online journey's reminders
are the application's (``coop.membership.application._cron_join_reminder``), the sync with
VIES is ``coop.vies.sync``'s (``_cron_sync``). The scheduled actions (``noupdate``) are
pointed at their new model; run again, nothing changes."""

from odoo import SUPERUSER_ID, api

from odoo.addons.coop_24pm_membership import migration_util

#: scheduled action -> (model, code) it runs from this version on
CRONS = {
    "coop_24pm_membership.ir_cron_membership_join_reminder": (
        "coop.membership.application",
        "model._cron_join_reminder()",
    ),
    "coop_24pm_membership.ir_cron_membership_vies_sync": ("coop.vies.sync", "model._cron_sync()"),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, (model, code) in CRONS.items():
        migration_util.point_cron(env, xmlid, model, code)
