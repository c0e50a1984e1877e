"""Strategic study reports on request (issue 16, SPEC 3.1): the 2023 plans other than
Simple Customer Access offer them from the portal. Their data records are noupdate."""

from odoo import SUPERUSER_ID, api

PLANS = ("plan_basic_2023", "plan_standard_2023", "plan_partner_2023")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in PLANS:
        plan = env.ref(f"coop_24pm_plans.{xmlid}", raise_if_not_found=False)
        if plan:
            plan.study_reports_on_request = True
