"""Issue 21.2: the next prepayment invoice date moves to an OCA contract line.

``coop.membership.prepayment_next_date`` is no longer stored: keep the running schedules
in a column of their own until the post-migration turns them into contract lines."""

from odoo.tools.sql import column_exists, rename_column


def migrate(cr, version):
    if column_exists(cr, "coop_membership", "prepayment_next_date"):
        rename_column(cr, "coop_membership", "prepayment_next_date", "coop_legacy_prepayment_next_date")
