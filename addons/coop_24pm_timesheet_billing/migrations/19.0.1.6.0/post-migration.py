# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 18, C3: a contest of a new regulation suspends the services it concerns
(``coop.regulation.change.product_ids``). The changes still open when this version is
installed (notified or contested) concern, as a new one does by default, all the
cooperative's services of their company."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    changes = env["coop.regulation.change"].search(
        [("state", "in", ("notified", "contested")), ("product_ids", "=", False)]
    )
    for company in changes.membership_id.company_id:
        Change = env["coop.regulation.change"].with_context(allowed_company_ids=company.ids)
        products = Change._coop_default_service_products()
        of_company = changes.filtered(lambda change, c=company: change.membership_id.company_id == c)
        of_company.product_ids = [(6, 0, products.ids)]
