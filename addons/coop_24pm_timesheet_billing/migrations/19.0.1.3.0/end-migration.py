# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the date of a member's last service invoice is derived, not stored.

The due rule (art. 6.2) reads the latest invoice date of the member's posted service
invoices (``coop.service.pricing._get_due_facts``); the form shows them through the
"Service invoices" button. The column ``coop_membership.coop_last_service_invoice_date``
is dropped only when every stored value equals the derived one; otherwise it is kept and
the memberships that differ are logged (a date set by hand, an invoice removed), so that
nobody's rhythm changes unseen. Run again, it changes nothing.
"""

import logging

from odoo.addons.coop_24pm_membership import migration_util

_logger = logging.getLogger(__name__)

COLUMN = "coop_last_service_invoice_date"


def differing_memberships(cr):
    """``[(membership id, stored date, derived date)]`` where the stored date is not the
    latest invoice date of the membership's posted service invoices."""
    cr.execute(
        f"""
        SELECT m.id, m.{COLUMN}, derived.invoice_date
          FROM coop_membership m
     LEFT JOIN LATERAL (
               SELECT MAX(move.invoice_date) AS invoice_date
                 FROM account_move move
                WHERE move.coop_membership_id = m.id AND move.coop_is_service_invoice
                  AND move.state = 'posted'
           ) derived ON TRUE
         WHERE m.{COLUMN} IS DISTINCT FROM derived.invoice_date
         ORDER BY m.id
        """
    )
    return cr.fetchall()


def drop_last_invoice_date(cr):
    """Drop the column when no stored value differs from the derived one; returns whether
    the column is gone (``True`` as well when it already was)."""
    if COLUMN not in migration_util.table_columns(cr, "coop_membership"):
        return True
    differing = differing_memberships(cr)
    if differing:
        _logger.warning(
            "coop_membership.%s kept: %s membership(s) differ from their posted service invoices "
            "(membership id, stored, derived): %s",
            COLUMN,
            len(differing),
            differing,
        )
        return False
    return migration_util.drop_membership_columns(cr, [COLUMN], when_linked=False)


def migrate(cr, version):
    if version:
        drop_last_invoice_date(cr)
