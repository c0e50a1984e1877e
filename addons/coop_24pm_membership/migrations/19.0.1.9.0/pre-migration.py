# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 7 (``coop.membership`` a member again): the lists a membership showed as
tabs (formal notices and suspensions, regulation changes, PM change requests, transfers,
regulation history) are smart buttons opening the filtered lists; their One2many fields
(not stored) are gone. The membership form's view of the transfers, stored as it was, names
them: it is dropped before the form is loaded again, and recreated from its file; run
again, nothing changes."""

STALE_VIEWS = ("coop_membership_view_form_transfer",)


def drop_stale_views(cr):
    """Drop the stored views ``STALE_VIEWS`` of the addon (and their external ids);
    returns how many were dropped."""
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'coop_24pm_membership' AND model = 'ir.ui.view' AND name = ANY(%s)
        RETURNING res_id
        """,
        [list(STALE_VIEWS)],
    )
    view_ids = [row[0] for row in cr.fetchall()]
    if view_ids:
        cr.execute("DELETE FROM ir_ui_view WHERE id = ANY(%s)", [view_ids])
    return len(view_ids)


def migrate(cr, version):
    if version:
        drop_stale_views(cr)
