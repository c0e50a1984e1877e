# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 2 (``coop.membership`` a member again).

1. The membership's e-mail templates of the steps before the conclusion (application
   received, contract signed, application refused) are sent by nobody since issue 15 (the
   application has its own): they are ``noupdate``, so Odoo keeps them when they leave the
   data files; they are deleted here.
2. The journey's values after the conclusion are the application's (it stays the journey's
   record until the membership is active): the B-share invoice (``join_share_move_id``),
   the journey's e-mails sent (``join_mail_keys``, merged with the application's own), the
   reminder of the payment step (``date_join_reminder`` -> the application's
   ``date_payment_reminder``). They are copied to the membership's application (every
   membership has one since 19.0.1.3.0), the template of the joining invoices reads them
   there, and the membership's columns are dropped once every membership is linked.
"""

from psycopg2 import sql

from odoo import SUPERUSER_ID, api

from odoo.addons.coop_24pm_membership import migration_util

#: the membership's templates sent by nobody (the application's are
#: ``mail_template_application_join_applied``, ``_join_signed``, ``_refused_request``)
UNUSED_TEMPLATES = ("mail_template_join_applied", "mail_template_join_signed", "mail_template_application_refused")


def delete_unused_templates(cr):
    """Delete the membership's unused templates (and their xmlids); idempotent."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    deleted = env["mail.template"]
    for name in UNUSED_TEMPLATES:
        deleted |= env.ref(f"coop_24pm_membership.{name}", raise_if_not_found=False) or env["mail.template"]
    deleted.unlink()
    return len(deleted)


#: the membership's columns -> the application's
MOVED_COLUMNS = {"join_share_move_id": "join_share_move_id", "date_join_reminder": "date_payment_reminder"}
DROPPED_COLUMNS = (*MOVED_COLUMNS, "join_mail_keys")
#: copied as well when coop_24pm_guarantee is installed (its own migration drops it)
GUARANTEE_COLUMNS = {"join_guarantee_move_id": "join_guarantee_move_id"}
#: the membership's templates (``noupdate``) that read the joining invoices, on the application now
INVOICE_TEMPLATES = ("mail_template_join_invoices",)


def move_journey_values(cr, membership_ids=None):
    """Copy the membership's journey values to its application (an application's own value
    wins; the e-mails sent are merged); idempotent."""
    migration_util.copy_to_applications(cr, {**MOVED_COLUMNS, **GUARANTEE_COLUMNS}, membership_ids)
    present = migration_util.table_columns(cr, "coop_membership")
    only = sql.SQL("AND m.id = ANY(%s)") if membership_ids is not None else sql.SQL("")
    args = [list(membership_ids)] if membership_ids is not None else []
    if "join_mail_keys" in present:
        cr.execute(
            sql.SQL(
                """
                SELECT a.id, a.join_mail_keys, m.join_mail_keys
                  FROM coop_membership m JOIN coop_membership_application a ON a.id = m.application_id
                 WHERE COALESCE(m.join_mail_keys, '') != '' {only}
                """
            ).format(only=only),
            args,
        )
        for application_id, own, membership_keys in cr.fetchall():
            keys = set(filter(None, (own or "").split(","))) | set(filter(None, membership_keys.split(",")))
            merged = ",".join(sorted(keys))
            if merged != own:
                cr.execute(
                    "UPDATE coop_membership_application SET join_mail_keys = %s WHERE id = %s", [merged, application_id]
                )


def update_invoice_templates(cr):
    migration_util.rewrite_templates(
        cr,
        "coop_24pm_membership",
        INVOICE_TEMPLATES,
        [("object.join_invoice_ids", "object.application_id.join_invoice_ids")],
    )


def drop_journey_columns(cr):
    """Drop the membership's columns once every membership points to its application."""
    return migration_util.drop_membership_columns(cr, DROPPED_COLUMNS)


def migrate(cr, version):
    if version:
        delete_unused_templates(cr)
        move_journey_values(cr)
        update_invoice_templates(cr)
        drop_journey_columns(cr)
