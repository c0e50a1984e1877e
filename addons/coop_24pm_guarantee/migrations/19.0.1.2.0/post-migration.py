"""Issue 21.2: every running prepayment schedule becomes the line of a prepayment
contract (OCA ``contract``) on the advances account.

The line starts on the next invoice date the member had: the invoices issued before
stay as they are and the contract invoices from that date on, at the agreed amount and
frequency, so an upgraded database keeps invoicing without gap or double."""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not column_exists(cr, "coop_membership", "coop_legacy_prepayment_next_date"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False, "tracking_disable": True})
    cr.execute(
        "SELECT id, coop_legacy_prepayment_next_date FROM coop_membership"
        " WHERE coop_legacy_prepayment_next_date IS NOT NULL ORDER BY id"
    )
    for membership_id, next_date in cr.fetchall():
        account = env["coop.membership"].browse(membership_id)._get_prepayment_account()
        if not account._get_lines():
            account._sync_contract_line(next_date=next_date)
    cr.execute("ALTER TABLE coop_membership DROP COLUMN coop_legacy_prepayment_next_date")
