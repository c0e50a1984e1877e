# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, ``coop.membership`` a member again: the journey's fields (acceptance, dates
of application/sending/signature, signatory, signature, origin...) are no longer copied
on the membership; it points to the application it was concluded from
(``coop.membership.application``) with ``application_id``.

At the end of the update (after 19.0.1.1.0's end script, which turns the memberships
still in application, contract sent or signed into applications and reads these columns):
1. every membership is linked to its application (``coop_membership_application.membership_id``);
2. a membership without an application (entered before issue 15, imported, legacy) gets
   one, concluded (state ``done``), holding the values the membership carried, so that
   they stay readable from ``membership.application_id``; its signature image moves with it;
3. the old columns are dropped (Odoo keeps the column of a removed field), only once every
   membership is linked.
"""

from psycopg2 import sql

from odoo.addons.coop_24pm_membership import migration_util

#: the journey's columns of ``coop_membership`` copied to a legacy membership's application
#: (the membership's column -> the application's), and dropped after
JOURNEY_COLUMNS = {
    "acceptance": "acceptance",
    "refusal_reason": "refusal_reason",
    "date_application": "date_application",
    "date_sent": "date_sent",
    "date_signed": "date_signed",
    "signatory_name": "signatory_name",
    "signatory_capacity": "signatory_capacity",
    "signatory_has_power": "signatory_has_power",
    "signed_by_user_id": "signed_by_user_id",
    "origin": "origin",
}

#: the columns that leave ``coop_membership`` (the dates of application and signature stay)
DROPPED_COLUMNS = tuple(column for column in JOURNEY_COLUMNS if column not in ("date_application", "date_signed"))


def link_memberships(cr, membership_ids=None):
    """Link each membership (or those of ``membership_ids``) to its application; create a
    concluded application for the legacy ones. The memberships still in a journey state
    of before issue 15 are left to 19.0.1.1.0. Returns the ids of the applications created."""
    membership_columns = migration_util.table_columns(cr, "coop_membership")
    cr.execute("ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS application_id integer")
    cr.execute(
        """
        UPDATE coop_membership m
           SET application_id = a.id
          FROM coop_membership_application a
         WHERE a.membership_id = m.id AND m.application_id IS NULL
        """
    )
    only = (
        sql.SQL("AND m.id = ANY(%s)")
        if membership_ids is not None
        else sql.SQL("AND m.state NOT IN ('draft', 'sent', 'signed')")
    )
    copied = {src: dst for src, dst in JOURNEY_COLUMNS.items() if src in membership_columns}
    src_cols = [sql.SQL("m.{}").format(sql.Identifier(src)) for src in copied]
    dst_cols = [sql.Identifier(dst) for dst in copied.values()]
    cr.execute(
        sql.SQL(
            """
            INSERT INTO coop_membership_application (
                name, partner_id, company_id, regulation_id, commitment, am_id, state,
                membership_id, date_concluded, create_uid, create_date, write_uid, write_date{dst}
            )
            SELECT m.name, m.partner_id, m.company_id, m.regulation_id, m.commitment, m.am_id, 'done',
                   m.id, COALESCE(m.date_registered, m.create_date::date), m.create_uid, m.create_date,
                   m.write_uid, m.write_date{src}
              FROM coop_membership m
             WHERE m.application_id IS NULL {only}
            RETURNING id, membership_id
            """
        ).format(
            dst=sql.SQL("").join(sql.SQL(", ") + col for col in dst_cols),
            src=sql.SQL("").join(sql.SQL(", ") + col for col in src_cols),
            only=only,
        ),
        [list(membership_ids)] if membership_ids is not None else [],
    )
    created = cr.fetchall()
    for application_id, membership_id in created:
        cr.execute("UPDATE coop_membership SET application_id = %s WHERE id = %s", [application_id, membership_id])
        # the signature image (an attachment of the field) moves to the application
        cr.execute(
            """
            UPDATE ir_attachment SET res_model = 'coop.membership.application', res_id = %s
             WHERE res_model = 'coop.membership' AND res_field = 'signature' AND res_id = %s
            """,
            [application_id, membership_id],
        )
    return [application_id for application_id, _membership_id in created]


def drop_journey_columns(cr):
    """Drop the old columns once every membership points to its application."""
    return migration_util.drop_membership_columns(cr, DROPPED_COLUMNS)


#: the membership's e-mail templates (``noupdate``) that read the journey's values: they
#: read them on its application now, in every language
TEMPLATES = ("mail_template_application_refused", "mail_template_join_signed")
TEMPLATE_FIELDS = ("refusal_reason", "signatory_name", "signatory_capacity")


def update_templates(cr):
    migration_util.rewrite_templates(
        cr,
        "coop_24pm_membership",
        TEMPLATES,
        [(f"object.{fname}", f"object.application_id.{fname}") for fname in TEMPLATE_FIELDS],
    )


def migrate(cr, version):
    if version:
        link_memberships(cr)
        update_templates(cr)
        drop_journey_columns(cr)
