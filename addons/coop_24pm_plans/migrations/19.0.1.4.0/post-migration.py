# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the member's subscription is its OCA contract.

The Partenaire trial (its end date and whether it was closed) is the subscription's:
``coop_membership.trial_end_date`` / ``trial_done`` move to the member's contract
(``contract_contract.coop_trial_end_date`` / ``coop_trial_done``), then the membership's
columns are dropped; the scheduled action ending the trials runs on ``contract.contract``
(its record is ``noupdate``).
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.coop_24pm_membership import migration_util

#: the membership's column -> the contract's
MOVED_COLUMNS = {"trial_end_date": "coop_trial_end_date", "trial_done": "coop_trial_done"}


def move_trial_values(cr):
    """Copy the trial of each membership to its contract; idempotent (only what the
    contract does not hold yet). Returns the number of contracts written."""
    if "trial_end_date" not in migration_util.table_columns(cr, "coop_membership"):
        return 0
    cr.execute(
        """
        UPDATE contract_contract c
           SET coop_trial_end_date = m.trial_end_date,
               coop_trial_done = COALESCE(m.trial_done, FALSE)
          FROM coop_membership m
         WHERE m.contract_id = c.id
           AND m.trial_end_date IS NOT NULL
           AND c.coop_trial_end_date IS NULL
        """
    )
    return cr.rowcount


def drop_trial_columns(cr):
    """Drop the membership's trial columns once every trial is on its contract (a
    membership with a trial and no contract keeps them: nothing is lost)."""
    if "trial_end_date" not in migration_util.table_columns(cr, "coop_membership"):
        return True
    cr.execute(
        """
        SELECT count(*) FROM coop_membership m
         WHERE m.trial_end_date IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM contract_contract c
                            WHERE c.id = m.contract_id AND c.coop_trial_end_date = m.trial_end_date)
        """
    )
    if cr.fetchone()[0]:
        return False
    return migration_util.drop_membership_columns(cr, MOVED_COLUMNS, when_linked=False)


def repoint_cron(env):
    cron = env.ref("coop_24pm_plans.ir_cron_end_trials", raise_if_not_found=False)
    if cron and cron.model_id.model != "contract.contract":
        cron.model_id = env["ir.model"]._get("contract.contract")


def migrate(cr, version):
    if not version:
        return
    move_trial_values(cr)
    drop_trial_columns(cr)
    repoint_cron(api.Environment(cr, SUPERUSER_ID, {}))
