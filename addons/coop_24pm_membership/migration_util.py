# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the suite's migrations repeat while issue 21 moves facts off ``coop_membership``:
copy a column to the membership's application, drop the membership's columns once no
value can be lost, rewrite the ``noupdate`` e-mail templates that read a moved field, and
load another version's script (one migration reuses another's step; tests run each step)."""

import importlib.util

from psycopg2 import sql

from odoo.tools.misc import file_path


def load_script(module, version, script):
    """The migration script ``<module>/migrations/<version>/<script>.py`` as a module."""
    path = file_path(f"{module}/migrations/{version}/{script}.py")
    name = f"{module}_{version.replace('.', '_')}_{script.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def table_columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return {row[0] for row in cr.fetchall()}


def copy_to_applications(cr, columns, membership_ids=None):
    """An application without one of ``columns`` takes its membership's value; idempotent.
    ``columns``: names kept on the application, or a mapping membership column -> application
    column; ``membership_ids``: only these memberships."""
    present = table_columns(cr, "coop_membership")
    targets = table_columns(cr, "coop_membership_application")
    mapping = columns if isinstance(columns, dict) else {column: column for column in columns}
    only = sql.SQL("AND m.id = ANY(%s)") if membership_ids is not None else sql.SQL("")
    args = [list(membership_ids)] if membership_ids is not None else []
    for column, target in mapping.items():
        if column not in present or target not in targets:
            continue
        cr.execute(
            sql.SQL(
                """
                UPDATE coop_membership_application a
                   SET {target} = m.{column}
                  FROM coop_membership m
                 WHERE m.application_id = a.id AND a.{target} IS NULL AND m.{column} IS NOT NULL {only}
                """
            ).format(target=sql.Identifier(target), column=sql.Identifier(column), only=only),
            args,
        )


def drop_membership_columns(cr, columns, when_linked=True):
    """Drop ``columns`` of ``coop_membership``; with ``when_linked``, only once every
    membership points to its application (never lose a legacy membership's values).
    Returns whether they were dropped."""
    if when_linked:
        cr.execute("SELECT count(*) FROM coop_membership WHERE application_id IS NULL")
        if cr.fetchone()[0]:
            return False
    for column in columns:
        cr.execute(sql.SQL("ALTER TABLE coop_membership DROP COLUMN IF EXISTS {}").format(sql.Identifier(column)))
    return True


def move_to_records(cr, table, link, columns, held=None):
    """Issue 21: facts leaving ``coop_membership`` for a record of their own. Each membership
    holding one of ``columns`` (``held``: column -> SQL condition on ``m``, by default
    ``m.<column> IS NOT NULL``) and not linked yet gets a record of ``table`` with these
    columns, linked by the membership's ``link`` column; idempotent. Returns the number of
    records created."""
    present = [column for column in columns if column in table_columns(cr, "coop_membership")]
    if not present:
        return 0
    held = held or {}
    condition = sql.SQL(" OR ").join(
        sql.SQL(held.get(column, "m.{} IS NOT NULL")).format(sql.Identifier(column)) for column in present
    )
    names = sql.SQL(", ").join(sql.Identifier(column) for column in present)
    values = sql.SQL(", ").join(sql.SQL("m.{}").format(sql.Identifier(column)) for column in present)
    cr.execute(
        sql.SQL(
            """
            WITH created AS (
                INSERT INTO {table}
                       (membership_id, company_id, create_uid, create_date, write_uid, write_date, {names})
                SELECT m.id, m.company_id, 1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC', {values}
                  FROM coop_membership m
                 WHERE m.{link} IS NULL
                   AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.membership_id = m.id)
                   AND ({condition})
             RETURNING id, membership_id
            )
            UPDATE coop_membership m SET {link} = created.id FROM created WHERE created.membership_id = m.id
            """
        ).format(
            table=sql.Identifier(table), names=names, values=values, link=sql.Identifier(link), condition=condition
        )
    )
    return cr.rowcount


def rewrite_templates(cr, module, templates, replacements):
    """In every language of the ``noupdate`` templates ``templates`` of ``module``, each
    ``old`` of ``replacements`` (pairs) becomes ``new`` in the body."""
    body = sql.SQL("body_html::text")
    for old, new in replacements:
        body = sql.SQL("replace({}, {}, {})").format(body, sql.Literal(old), sql.Literal(new))
    cr.execute(
        sql.SQL(
            """
            UPDATE mail_template SET body_html = ({})::jsonb
             WHERE id IN (SELECT res_id FROM ir_model_data
                           WHERE module = %s AND model = 'mail.template' AND name = ANY(%s))
            """
        ).format(body),
        [module, list(templates)],
    )


def point_cron(env, xmlid, model, code):
    """Point the scheduled action ``xmlid`` (``noupdate``: an upgrade leaves it as it is) at
    ``model`` and its ``code``; idempotent. Returns whether it changed."""
    cron = env.ref(xmlid, raise_if_not_found=False)
    if not cron:
        return False
    ir_model = env["ir.model"]._get(model)
    if cron.model_id == ir_model and cron.code == code:
        return False
    cron.write({"model_id": ir_model.id, "code": code})
    return True
