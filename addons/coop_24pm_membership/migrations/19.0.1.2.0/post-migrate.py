# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the parameters of the regulations are data. The countries accepted
automatically (SPEC 2.1.5) were a constant in code; the regulations shipped by the addon
(``noupdate`` records) get them here, unless staff already chose some."""

from odoo import SUPERUSER_ID, api

AUTO_ACCEPTED = ("base.be", "base.fr", "base.de", "base.lu", "base.nl")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    countries = env["res.country"].browse([env.ref(xmlid).id for xmlid in AUTO_ACCEPTED])
    for xmlid in ("regulation_roi_2019", "regulation_roi_2021", "regulation_roi_2023"):
        regulation = env.ref(f"coop_24pm_membership.{xmlid}", raise_if_not_found=False)
        if regulation and not regulation.auto_accept_country_ids:
            regulation.auto_accept_country_ids = countries
