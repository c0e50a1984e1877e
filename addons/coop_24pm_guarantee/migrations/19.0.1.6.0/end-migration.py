# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: what is not the member leaves ``coop.membership``. Run again, it changes nothing.

- The refund of the guarantee after exit (art. 7.3) is a request of its own,
  ``coop.guarantee.refund``. Each membership whose refund was requested gets its record
  (state, dates; once refunded, the refund movement, its date and amount), the open
  "Refund the guarantee balance" activity moves from the membership to it, then the
  membership's columns are dropped.
- The notice after repeated rejected debits (art. 6.4.1) is held by the rejection that
  triggered it (``coop.debit.rejection.mandate_notice_date`` / ``_deadline``): a
  membership's notice moves to its latest rejection, and the notice record points at it.
  No e-mail template reads these fields (the notice is a plain message).
- The daily follow-up of guarantees and mandate notices is a job of its own,
  ``coop.guarantee.followup``: its scheduled action (``noupdate``) is pointed at it.
"""

from odoo import SUPERUSER_ID, api

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


#: the membership's columns of the mandate notice, the same on ``coop_debit_rejection``
NOTICE_COLUMNS = ("mandate_notice_date", "mandate_notice_deadline")


def move_mandate_notices(cr):
    """A membership's mandate notice goes to its latest rejected debit (none already holding
    one); returns the number of rejections updated."""
    if "mandate_notice_date" not in migration_util.table_columns(cr, "coop_membership"):
        return 0
    cr.execute(
        """
        WITH latest AS (
            SELECT DISTINCT ON (r.membership_id) r.id, r.membership_id
              FROM coop_debit_rejection r
             ORDER BY r.membership_id, r.date DESC, r.id DESC
        )
        UPDATE coop_debit_rejection r
           SET mandate_notice_date = m.mandate_notice_date, mandate_notice_deadline = m.mandate_notice_deadline
          FROM latest l
          JOIN coop_membership m ON m.id = l.membership_id
         WHERE r.id = l.id AND m.mandate_notice_date IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM coop_debit_rejection o
                            WHERE o.membership_id = m.id AND o.mandate_notice_date IS NOT NULL)
        """
    )
    count = cr.rowcount
    # the delivery of the (latest) notice starts the deadline of the rejection holding it now
    cr.execute(
        """
        UPDATE coop_notice n SET res_model = 'coop.debit.rejection', res_id = r.id
          FROM coop_debit_rejection r
         WHERE r.mandate_notice_date IS NOT NULL AND n.res_model IS NULL
           AND n.id = (SELECT l.id FROM coop_notice l
                        WHERE l.membership_id = r.membership_id AND l.kind = 'mandate_notice'
                        ORDER BY l.date_sent DESC, l.id DESC LIMIT 1)
        """
    )
    return count


def drop_notice_columns(cr):
    """Drop the membership's columns once every notice is held by a rejection (a notice
    without any rejection, which the suite never sends, keeps them). Returns whether dropped."""
    if "mandate_notice_date" not in migration_util.table_columns(cr, "coop_membership"):
        return True
    cr.execute(
        """
        SELECT count(*) FROM coop_membership m
         WHERE m.mandate_notice_date IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM coop_debit_rejection r
                            WHERE r.membership_id = m.id AND r.mandate_notice_date IS NOT NULL)
        """
    )
    if cr.fetchone()[0]:
        return False
    return migration_util.drop_membership_columns(cr, NOTICE_COLUMNS, when_linked=False)


def point_followup_cron(cr):
    """The follow-up job (``noupdate``) runs on ``coop.guarantee.followup``; returns
    whether it was changed."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("coop_24pm_guarantee.ir_cron_guarantee_followup", raise_if_not_found=False)
    model = env["ir.model"]._get("coop.guarantee.followup")
    if not cron or not model or cron.model_id == model:
        return False
    cron.write({"model_id": model.id, "code": "model._cron_coop_guarantee_followup()"})
    return True


def migrate(cr, version):
    if version:
        move_guarantee_refunds(cr)
        drop_refund_columns(cr)
        move_mandate_notices(cr)
        drop_notice_columns(cr)
        point_followup_cron(cr)
