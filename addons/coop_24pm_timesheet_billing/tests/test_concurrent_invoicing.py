# pylint: disable=invalid-commit  # two real transactions: what one commits is what the other sees

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestConcurrentInvoicing(TransactionCase):
    """Two runs at once (cron and "invoice now") on two real database cursors.

    Row locks only matter between transactions, so this test commits its own small
    dataset in the main company, runs the two invoicing transactions side by side,
    and deletes everything it committed afterwards.
    """

    def setUp(self):
        super().setUp()
        self.created = {}
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            product = env["product.product"].create({"name": "Concurrency work", "type": "service"})
            category = env.ref("coop_24pm_timesheet_billing.category_medior")
            rate = env["coop.group.rate"].create(
                {
                    "product_id": product.id,
                    "category_id": category.id,
                    "rate": 60.0,
                    "date_from": "2020-01-01",
                    "company_id": company.id,
                }
            )
            partner = env["res.partner"].create(
                {
                    "name": "Concurrent Co",
                    "is_company": True,
                    "country_id": env.ref("base.be").id,
                    "coop_not_incorporated": True,
                }
            )
            membership = env["coop.membership"].create(
                {
                    "partner_id": partner.id,
                    "regulation_id": env.ref("coop_24pm_membership.regulation_roi_2021").id,
                    "company_id": company.id,
                    # SPEC 7.4: only a concluded membership gets work. This committed fixture
                    # starts registered: the journey's register entry and its posted share
                    # invoice would outlive the test in the shared database.
                    "state": "registered",
                }
            )
            employee = env["hr.employee"].create(
                {"name": "Conny Current", "coop_category_id": category.id, "company_id": company.id}
            )
            project = env["project.project"].create(
                {
                    "name": "Concurrent work",
                    "coop_membership_id": membership.id,
                    "coop_product_id": product.id,
                    "allow_timesheets": True,
                    "company_id": company.id,
                }
            )
            lines = env["account.analytic.line"].create(
                [
                    {
                        "name": f"Work {i}",
                        "employee_id": employee.id,
                        "project_id": project.id,
                        "unit_amount": 1.0,
                        "date": "2026-03-02",
                    }
                    for i in range(3)
                ]
            )
            self.created = {
                "product": product,
                "rate": rate,
                "partner": partner,
                "membership": membership,
                "employee": employee,
                "project": project,
                "lines": lines,
            }
            self.ids = {key: records.ids for key, records in self.created.items()}
            cr.commit()
        self.addCleanup(self._delete_committed)

    def _delete_committed(self):
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ids = self.ids
            cr.execute(
                SQL(
                    "DELETE FROM coop_billing_run WHERE id IN "
                    "(SELECT run_id FROM coop_billing_run_line WHERE membership_id IN %s)",
                    tuple(ids["membership"]),
                )
            )
            cr.execute(SQL("DELETE FROM queue_job WHERE model_name = 'coop.billing.run' AND state != 'done'"))
            moves = env["account.move"].search([("coop_membership_id", "in", ids["membership"])])
            if moves:
                cr.execute(
                    SQL(
                        "UPDATE account_analytic_line SET coop_invoice_line_id = NULL WHERE id IN %s",
                        tuple(ids["lines"]),
                    )
                )
                cr.execute(SQL("DELETE FROM account_move WHERE id IN %s", tuple(moves.ids)))
            env["account.analytic.line"].browse(ids["lines"]).unlink()
            project = env["project.project"].browse(ids["project"])
            analytic = project.account_id
            project.unlink()
            analytic.unlink()
            employee = env["hr.employee"].browse(ids["employee"])
            resource = employee.resource_id
            employee.unlink()
            resource.unlink()
            env["coop.group.rate"].browse(ids["rate"]).unlink()
            env["coop.membership"].browse(ids["membership"]).unlink()
            env["res.partner"].browse(ids["partner"]).unlink()
            env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
            cr.commit()

    def _invoice_now(self, env, membership_id, today):
        """A billing run of one member processed in ``env``'s transaction: its invoices."""
        run = env["coop.billing.run"]._create_for_members(env["coop.membership"].browse(membership_id), date=today)
        run.action_process_now()
        return run.line_ids.move_id

    def _two_envs(self):
        cr1, cr2 = self.env.registry.cursor(), self.env.registry.cursor()
        self.addCleanup(cr1.close)
        self.addCleanup(cr2.close)
        return api.Environment(cr1, SUPERUSER_ID, {}), api.Environment(cr2, SUPERUSER_ID, {})

    def test_same_line_never_on_two_invoices(self):
        env1, env2 = self._two_envs()
        today = fields.Date.today()
        mid, line_ids = self.ids["membership"][0], self.ids["lines"]
        # run 1 (the cron) invoices and still holds its transaction open
        first = self._invoice_now(env1, mid, today)
        service = first.invoice_line_ids.filtered(lambda rec: rec.display_type == "product" and rec.product_id)
        self.assertEqual((service.quantity, service.price_unit), (3.0, 60.0))
        # run 2 ("invoice now") at the same time: the member and its lines are held, it skips them
        second = self._invoice_now(env2, mid, today)
        self.assertFalse(second)
        self.assertFalse(env2["account.analytic.line"].browse(line_ids).try_lock_for_update())
        env2.cr.rollback()
        env1.cr.commit()
        # run 2 again, after run 1 committed: the lines are invoiced, nothing left
        again = self._invoice_now(env2, mid, today)
        self.assertFalse(again)
        lines = env2["account.analytic.line"].browse(line_ids)
        self.assertEqual(lines.coop_invoice_id.ids, first.ids)
        env2.cr.rollback()

    def test_crashed_run_leaves_lines_to_the_next(self):
        env1, env2 = self._two_envs()
        today = fields.Date.today()
        mid, line_ids = self.ids["membership"][0], self.ids["lines"]
        self._invoice_now(env1, mid, today)
        env1.cr.rollback()  # the first run crashes before its commit
        invoice = self._invoice_now(env2, mid, today)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(set(env2["account.analytic.line"].browse(line_ids).coop_invoice_id.ids), {invoice.id})
        env2.cr.rollback()

    def test_line_held_elsewhere_stays_for_the_next_run(self):
        env1, env2 = self._two_envs()
        today = fields.Date.today()
        mid, line_ids = self.ids["membership"][0], self.ids["lines"]
        # another transaction (e.g. a PM editing a line) holds the first line
        held = env2["account.analytic.line"].browse(line_ids[0]).try_lock_for_update()
        self.assertEqual(held.ids, line_ids[:1])
        first = self._invoice_now(env1, mid, today)
        self.assertEqual(first.amount_untaxed, 120.00)  # 2 h x EUR 60 (no plan: no margin), held line skipped
        self.assertFalse(env1["account.analytic.line"].browse(line_ids[0]).coop_invoice_line_id)
        env1.cr.commit()
        env2.cr.rollback()  # the other transaction ends
        env1.invalidate_all()
        second = self._invoice_now(env1, mid, today)
        self.assertEqual(second.amount_untaxed, 60.00)
        lines = env1["account.analytic.line"].browse(line_ids)
        self.assertEqual(lines.coop_invoice_id, first | second)
        self.assertEqual(len(lines.filtered(lambda rec: rec.coop_invoice_id == second)), 1)
        env1.cr.commit()

    def _committed_run(self):
        """A running billing run of the committed member (its job not performed yet)."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["coop.billing.run"]._create_for_members(
                env["coop.membership"].browse(self.ids["membership"]), date=fields.Date.today()
            )
            run.state = "running"
            cr.commit()
            return run.id

    def test_killed_job_requeued_invoices_once(self):
        run_id = self._committed_run()
        env1, env2 = self._two_envs()
        # the job's node dies before its commit: its transaction is rolled back
        run1 = env1["coop.billing.run"].browse(run_id)
        self.assertEqual(run1._process_batch(run1.line_ids), "Lines processed: 1.")
        self.assertEqual(run1.line_ids.state, "done")
        env1.cr.rollback()
        # queue_job re-queues it; another node performs it
        run2 = env2["coop.billing.run"].browse(run_id)
        self.assertEqual(run2._process_batch(run2.line_ids), "Lines processed: 1.")
        env2.cr.commit()
        # and the first node, restarted, performs it again: nothing is left to do
        env1.invalidate_all()
        self.assertEqual(run1._process_batch(run1.line_ids), "Lines processed: 0.")
        env1.cr.commit()
        lines = env1["account.analytic.line"].browse(self.ids["lines"])
        self.assertEqual(lines.coop_invoice_id, run1.line_ids.move_id)
        self.assertEqual(lines.coop_invoice_id.amount_untaxed, 180.00)  # 3 h x EUR 60, once

    def test_same_batch_on_two_nodes_at_once_invoices_once(self):
        run_id = self._committed_run()
        env1, env2 = self._two_envs()
        run1, run2 = env1["coop.billing.run"].browse(run_id), env2["coop.billing.run"].browse(run_id)
        self.assertEqual(run1._process_batch(run1.line_ids), "Lines processed: 1.")
        # node 2 takes the same batch while node 1 holds it: its line is locked, it skips it
        self.assertEqual(run2._process_batch(run2.line_ids), "Lines processed: 0.")
        env2.cr.rollback()
        env1.cr.commit()
        self.assertEqual(env2["account.move"].search_count([("coop_membership_id", "in", self.ids["membership"])]), 1)
        env2.cr.rollback()
