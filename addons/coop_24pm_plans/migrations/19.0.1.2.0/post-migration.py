"""Issue 19.5: the Partner plan of the 2021 regulation allows equity stakes (ROI 2021 art.
4.4.2). The plans are noupdate data: set the new flag on the shipped record."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    plan = env.ref("coop_24pm_plans.plan_partner_2021", raise_if_not_found=False)
    if plan:
        plan.allows_equity_stake = True
