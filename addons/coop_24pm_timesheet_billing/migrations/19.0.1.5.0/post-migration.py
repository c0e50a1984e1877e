# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 18 (the replayed year): an estimate keeps the price of the day it was given
(``coop.task.estimate.date``). The estimates entered before this version were given on
their last change: that day is theirs."""


def migrate(cr, version):
    if version:
        cr.execute(
            """
            UPDATE coop_task_estimate
               SET date = (COALESCE(write_date, create_date) AT TIME ZONE 'UTC')::date
             WHERE date IS NULL
            """
        )
