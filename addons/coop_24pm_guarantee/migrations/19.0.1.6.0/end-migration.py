# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the refund of the guarantee after exit (art. 7.3) is a request of its own,
``coop.guarantee.refund``. Each membership whose refund was requested gets its record
(state, dates; once refunded, the refund movement, its date and amount), the open "Refund
the guarantee balance" activity moves from the membership to it, then the membership's
columns are dropped. Run again, it changes nothing."""

from odoo.addons.coop_24pm_membership import migration_util

#: the membership's columns of the refund
REFUND_COLUMNS = ("guarantee_refund_state", "guarantee_refund_requested", "guarantee_refund_deadline")


def move_guarantee_refunds(cr):
    """One ``coop_guarantee_refund`` per membership with a refund state and none yet;
    returns the number created."""
    if "guarantee_refund_state" not in migration_util.table_columns(cr, "coop_membership"):
        return 0
    cr.execute(
        """
        WITH legacy AS (
            SELECT m.id AS membership_id, m.partner_id, m.company_id, m.guarantee_refund_state AS state,
                   COALESCE(m.guarantee_refund_requested, m.write_date::date) AS date_requested,
                   m.guarantee_refund_deadline AS date_deadline,
                   (SELECT g.id FROM coop_guarantee_move g
                     WHERE g.membership_id = m.id AND g.operation = 'refund' AND g.state = 'posted'
                     ORDER BY g.date DESC, g.id DESC LIMIT 1) AS guarantee_move_id
              FROM coop_membership m
             WHERE m.guarantee_refund_state IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM coop_guarantee_refund r WHERE r.membership_id = m.id)
        )
        INSERT INTO coop_guarantee_refund
               (membership_id, partner_id, company_id, state, date_requested, date_deadline,
                guarantee_move_id, date_refunded, amount, create_uid, create_date, write_uid, write_date)
        SELECT l.membership_id, l.partner_id, l.company_id, l.state, l.date_requested, l.date_deadline,
               CASE WHEN l.state = 'refunded' THEN g.id END,
               CASE WHEN l.state = 'refunded' THEN COALESCE(g.date, l.date_requested) END,
               CASE WHEN l.state = 'refunded' THEN COALESCE(g.amount, 0.0) END,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM legacy l
          LEFT JOIN coop_guarantee_move g ON g.id = l.guarantee_move_id
        """
    )
    count = cr.rowcount
    # the open "Refund the guarantee balance" to-do (scheduled on the membership, due on the
    # refund's deadline) is the request's now
    cr.execute(
        """
        UPDATE mail_activity a
           SET res_model = 'coop.guarantee.refund',
               res_model_id = (SELECT id FROM ir_model WHERE model = 'coop.guarantee.refund'),
               res_id = r.id
          FROM coop_guarantee_refund r
         WHERE a.res_model = 'coop.membership' AND a.res_id = r.membership_id
           AND r.state = 'requested' AND a.date_deadline = r.date_deadline
           AND a.activity_type_id = (SELECT res_id FROM ir_model_data
                                      WHERE module = 'mail' AND name = 'mail_activity_data_todo')
        """
    )
    return count


def drop_refund_columns(cr):
    migration_util.drop_membership_columns(cr, REFUND_COLUMNS, when_linked=False)


def migrate(cr, version):
    if version:
        move_guarantee_refunds(cr)
        drop_refund_columns(cr)
