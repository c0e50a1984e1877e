# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the member's subscription is its OCA contract.

The Partenaire trial (its end date and whether it was closed) and the strategist who
attends the strategic follow-up of the plan are the subscription's:
``coop_membership.trial_end_date`` / ``trial_done`` / ``strategist_id`` move to the
member's contract (``contract_contract.coop_trial_end_date`` / ``coop_trial_done`` /
``coop_strategist_id``), then the membership's columns are dropped (Odoo drops the columns
of removed fields after the post scripts anyway); the scheduled action ending the trials
runs on ``contract.contract`` (its record is ``noupdate``).

A trial is set with the contract (never without one). A strategist chosen for a member
without a contract (no plan) has nowhere to go: it is written in the membership's
chatter before the column is dropped, and the member's follow-up is attended by its
Account Manager, else its Project Manager, until its subscription names one.
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.coop_24pm_membership import migration_util

MOVED_COLUMNS = ("trial_end_date", "trial_done", "strategist_id")


def move_to_contracts(cr):
    """Copy the trial and the strategist of each membership to its contract; idempotent
    (only what the contract does not hold yet). Returns the number of contracts written."""
    present = migration_util.table_columns(cr, "coop_membership")
    count = 0
    if "trial_end_date" in present:
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
        count += cr.rowcount
    if "strategist_id" in present:
        cr.execute(
            """
            UPDATE contract_contract c
               SET coop_strategist_id = m.strategist_id
              FROM coop_membership m
             WHERE m.contract_id = c.id
               AND m.strategist_id IS NOT NULL
               AND c.coop_strategist_id IS NULL
            """
        )
        count += cr.rowcount
    return count


def note_strategists_without_contract(env):
    """Write the strategist of each membership without a contract in its chatter.
    Returns the memberships noted."""
    cr = env.cr
    if "strategist_id" not in migration_util.table_columns(cr, "coop_membership"):
        return env["coop.membership"]
    cr.execute("SELECT id, strategist_id FROM coop_membership WHERE strategist_id IS NOT NULL AND contract_id IS NULL")
    rows = cr.fetchall()
    memberships = env["coop.membership"].browse([row[0] for row in rows])
    for membership_id, user_id in rows:
        user = env["res.users"].browse(user_id).exists()
        if user:
            env["coop.membership"].browse(membership_id).message_post(
                body=env._(
                    "Strategist chosen before issue 21: %s. The strategist is now set on the subscription contract, "
                    "created with a plan.",
                    user.name,
                )
            )
    return memberships


def drop_columns(cr):
    migration_util.drop_membership_columns(cr, MOVED_COLUMNS, when_linked=False)


def repoint_cron(env):
    cron = env.ref("coop_24pm_plans.ir_cron_end_trials", raise_if_not_found=False)
    if cron and cron.model_id.model != "contract.contract":
        cron.model_id = env["ir.model"]._get("contract.contract")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    move_to_contracts(cr)
    note_strategists_without_contract(env)
    drop_columns(cr)
    repoint_cron(env)
