from odoo import sql_db
from odoo.tests import tagged

from ..models.coop_cron import run_in_batches
from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestCronBatches(CoopCommon):
    """Issue 15: the suite's scheduled jobs skip the rows another transaction holds and
    go on after one record's failure, which they post on that record."""

    def test_rows_held_by_another_transaction_are_skipped(self):
        belgium, luxembourg = self.env.ref("base.be"), self.env.ref("base.lu")
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            # another job (or server) holds Luxembourg's row
            other.execute("SELECT id FROM res_country WHERE id = %s FOR UPDATE NOWAIT", [luxembourg.id])
            seen = []
            done = run_in_batches(belgium | luxembourg, seen.append)
        finally:
            other.rollback()
            other.close()
        self.assertEqual(seen, [belgium])
        self.assertEqual(done, belgium)

    def test_failure_of_one_record_is_posted_on_it_and_the_job_goes_on(self):
        monthly_only = self._make_member(
            self._make_company("Mensuel SRL", vat="BE0477472701"), regulation=self.roi_2021
        )
        other = self._make_member(self._make_company("Annuel SRL", vat="BE0403170701"), regulation=self.roi_2023)
        done = run_in_batches(monthly_only | other, lambda m: m.write({"commitment": "annual"}))
        self.assertEqual(done, other)
        self.assertEqual(other.commitment, "annual")
        self.assertEqual(monthly_only.commitment, "monthly", "its change was rolled back")
        self.assertTrue(
            monthly_only.message_ids.filtered(
                lambda m: "could not process" in str(m.body) and "monthly commitments only" in str(m.body)
            )
        )
