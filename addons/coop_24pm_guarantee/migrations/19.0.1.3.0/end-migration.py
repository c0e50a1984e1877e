# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, ``coop.membership`` a member again: the payment chosen online and the mandate
signed online are the application's (``membership.application_id.join_payment_choice`` /
``join_mandate_id``); the membership's copies go.

At the end of the update (after coop_24pm_membership's 19.0.1.3.0, which links every
membership to an application, creating a concluded one for a legacy membership):
1. an application without these values takes the membership's (a legacy membership's);
2. the membership's e-mail templates (``noupdate``) read the mandate on the application;
3. the membership's columns are dropped, only once every membership is linked.
"""

from psycopg2 import sql

COLUMNS = ("join_payment_choice", "join_mandate_id")
TEMPLATES = ("mail_template_join_mandate", "mail_template_join_mandate_confirmed")


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return {row[0] for row in cr.fetchall()}


def copy_to_applications(cr):
    present = [column for column in COLUMNS if column in _columns(cr, "coop_membership")]
    for column in present:
        cr.execute(
            sql.SQL(
                """
                UPDATE coop_membership_application a
                   SET {col} = m.{col}
                  FROM coop_membership m
                 WHERE m.application_id = a.id AND a.{col} IS NULL AND m.{col} IS NOT NULL
                """
            ).format(col=sql.Identifier(column))
        )


def update_templates(cr):
    cr.execute(
        """
        UPDATE mail_template
           SET body_html = replace(
                   body_html::text, 'object.join_mandate_id', 'object.application_id.join_mandate_id'
               )::jsonb
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'coop_24pm_guarantee' AND model = 'mail.template' AND name = ANY(%s))
        """,
        [list(TEMPLATES)],
    )


def drop_columns(cr):
    cr.execute("SELECT count(*) FROM coop_membership WHERE application_id IS NULL")
    if cr.fetchone()[0]:
        return False  # never lose a legacy membership's values
    for column in COLUMNS:
        cr.execute(sql.SQL("ALTER TABLE coop_membership DROP COLUMN IF EXISTS {}").format(sql.Identifier(column)))
    return True


def migrate(cr, version):
    if version:
        copy_to_applications(cr)
        update_templates(cr)
        drop_columns(cr)
