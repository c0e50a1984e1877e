# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: funded work off the member.

The funded balance, the work on it and its release are the member's prepayment account's
(``coop.prepayment.account.funded_balance`` / ``funded_committed`` / ``funded_left``,
computed, never stored); the membership keeps ``coop_funded_work``, what the member agreed.

The membership form's funded-work view, as stored before this version, shows the
membership's former fields: it would fail the validation of the billing form it extends
when that form is loaded again, before this view is. It is removed here; loading the
module creates it again as it is now.
"""

STALE_VIEWS = ("coop_membership_view_form_funded_work",)


def drop_stale_views(cr):
    """Remove the stale views and their external ids; idempotent. Returns how many."""
    cr.execute(
        """
        WITH gone AS (
            DELETE FROM ir_model_data
             WHERE module = 'coop_24pm_timesheet_billing' AND model = 'ir.ui.view' AND name = ANY(%s)
         RETURNING res_id
        )
        DELETE FROM ir_ui_view WHERE id IN (SELECT res_id FROM gone)
        """,
        [list(STALE_VIEWS)],
    )
    return cr.rowcount


def migrate(cr, version):
    if version:
        drop_stale_views(cr)
