"""Noupdate plan data of version 19.0.1.2.0:

* issue 16: strategic study reports on request for the 2023 plans other than Simple
  Customer Access (SPEC 3.1);
* issue 19.5: the Partner plan of the 2021 regulation allows equity stakes (ROI 2021
  art. 4.4.2).
"""

from odoo import SUPERUSER_ID, api

STUDY_REPORT_PLANS = ("plan_basic_2023", "plan_standard_2023", "plan_partner_2023")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in STUDY_REPORT_PLANS:
        plan = env.ref(f"coop_24pm_plans.{xmlid}", raise_if_not_found=False)
        if plan:
            plan.study_reports_on_request = True
    plan = env.ref("coop_24pm_plans.plan_partner_2021", raise_if_not_found=False)
    if plan:
        plan.allows_equity_stake = True
