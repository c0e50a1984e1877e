# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the guarantee's movements, personal sureties and refund are read on the member's
``coop.guarantee`` (its ``move_ids``, ``surety_ids``, ``refund_ids``): each of them gets the
guarantee of its membership (``guarantee_id``, stored). Run again, it changes nothing.

Odoo computes the new column when it adds it, before the end scripts: a membership whose
guarantee 19.0.1.7.0's end script creates has none then, so its records are linked here.
"""

#: the tables that point to the membership and now to its guarantee too
TABLES = ("coop_guarantee_move", "coop_surety", "coop_guarantee_refund")


def link_to_guarantees(cr):
    """Set ``guarantee_id`` where it is missing from the membership's; returns the number of
    rows linked."""
    linked = 0
    for table in TABLES:
        cr.execute(
            f"""
            UPDATE {table} t
               SET guarantee_id = m.guarantee_id
              FROM coop_membership m
             WHERE m.id = t.membership_id
               AND m.guarantee_id IS NOT NULL
               AND t.guarantee_id IS DISTINCT FROM m.guarantee_id
            """  # noqa: S608 - the table names are the constant above
        )
        linked += cr.rowcount
    return linked


def migrate(cr, version):
    if version:
        link_to_guarantees(cr)
