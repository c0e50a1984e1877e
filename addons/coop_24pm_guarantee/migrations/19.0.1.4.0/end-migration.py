# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 2: the guarantee invoiced online is the application's
(``membership.application_id.join_guarantee_move_id``), like the B-share invoice
(coop_24pm_membership 19.0.1.4.0); the membership's column goes.

At the end of the update (every membership is linked to an application since
coop_24pm_membership 19.0.1.3.0):
1. an application without a guarantee invoice takes the membership's;
2. the membership's column is dropped, only once every membership is linked.
3. The personal surety is a record of its own (``coop.surety``): a membership's surety
   (name, amount, contract and its file) becomes one, then the membership's columns go.
"""

from psycopg2 import sql

from odoo.addons.coop_24pm_membership import migration_util

COLUMNS = ("join_guarantee_move_id",)


def copy_to_applications(cr):
    migration_util.copy_to_applications(cr, COLUMNS)


def drop_columns(cr):
    return migration_util.drop_membership_columns(cr, COLUMNS)


SURETY_COLUMNS = ("surety_name", "surety_amount", "surety_contract_name")


def move_sureties(cr):
    """Each membership's surety becomes a ``coop.surety`` (its contract's file follows); idempotent."""
    present = migration_util.table_columns(cr, "coop_membership")
    if "surety_name" not in present:
        return 0
    amount = sql.SQL("m.surety_amount") if "surety_amount" in present else sql.SQL("NULL")
    file_name = sql.SQL("m.surety_contract_name") if "surety_contract_name" in present else sql.SQL("NULL")
    cr.execute(
        sql.SQL(
            """
            INSERT INTO coop_surety (membership_id, company_id, name, amount, contract_name,
                                     create_uid, write_uid, create_date, write_date)
            SELECT m.id, m.company_id, COALESCE(m.surety_name, ''), {amount}, {file_name},
                   1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM coop_membership m
             WHERE (COALESCE(m.surety_name, '') != '' OR COALESCE({amount}, 0) != 0
                    OR EXISTS (SELECT 1 FROM ir_attachment a WHERE a.res_model = 'coop.membership'
                                  AND a.res_field = 'surety_contract' AND a.res_id = m.id))
               AND NOT EXISTS (SELECT 1 FROM coop_surety s WHERE s.membership_id = m.id)
            """
        ).format(amount=amount, file_name=file_name)
    )
    created = cr.rowcount
    cr.execute(
        """
        UPDATE ir_attachment a
           SET res_model = 'coop.surety', res_field = 'contract', res_id = s.id
          FROM coop_surety s
         WHERE a.res_model = 'coop.membership' AND a.res_field = 'surety_contract' AND a.res_id = s.membership_id
        """
    )
    migration_util.drop_membership_columns(cr, SURETY_COLUMNS, when_linked=False)
    return created


def migrate(cr, version):
    if version:
        copy_to_applications(cr)
        drop_columns(cr)
        move_sureties(cr)
