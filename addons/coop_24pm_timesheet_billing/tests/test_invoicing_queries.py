from datetime import date

from odoo import sql_db
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestInvoicingQueries(CoopBillingCommon):
    """Performance: the SQL queries to invoice a member do not grow with its lines."""

    def _queries_to_invoice(self, membership, n_lines):
        task = self.env["project.task"].create(
            {"name": "Job", "project_id": self.env["project.project"]._coop_projects_of(membership).id}
        )
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "employee_id": self.medior.id,
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "unit_amount": 0.5,
                    "date": date(2026, 3, 1 + i % 28),
                }
                for i in range(n_lines)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = sql_db.sql_counter
        invoice = self._invoice_members(membership, date(2026, 3, 31))
        self.env.flush_all()
        self.assertEqual(invoice.amount_untaxed, round(n_lines * 0.5 * 60 * 1.38, 2))
        return sql_db.sql_counter - before

    def test_queries_per_member_do_not_grow_with_its_lines(self):
        few = self._queries_to_invoice(self._make_billing_member("Few Lines", self.basic_2021), 2)
        many = self._queries_to_invoice(self._make_billing_member("Many Lines", self.basic_2021), 120)
        self.assertLessEqual(many, few + 3, f"{few} queries for 2 lines, {many} for 120")
