from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestBillingRun(CoopBillingCommon):
    """The billing run: one line per member, batches as queue_job jobs, errors per member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["coop.billing.run"]

    def _members_with_work(self, count, minutes=60):
        members = self.member
        self._log(self.medior, minutes, "2026-03-02")
        for index in range(1, count):
            membership = self._make_billing_member(f"Run Member {index:02d}", self.basic_2021)
            task = self.env["project.task"].create(
                {"name": "Job", "project_id": self.env["project.project"]._coop_projects_of(membership).id}
            )
            self._log(self.medior, minutes, "2026-03-02", task=task)
            members |= membership
        return members

    def _line(self, run, membership):
        return run.line_ids.filtered(lambda line: line.membership_id == membership)

    def test_each_batch_is_a_job_on_the_billing_channel(self):
        members = self._members_with_work(3)
        run = self.Run._create_due_run(date=date(2026, 3, 20), batch_size=2)
        self.assertEqual(run.line_ids.membership_id, members)
        with trap_jobs() as trap:
            run.action_start()
            self.assertEqual(run.state, "running")
            trap.assert_jobs_count(2, only=run._process_batch)
            trap.assert_jobs_count(1, only=run._finalize)
            trap.assert_enqueued_job(
                run._process_batch,
                args=(run.line_ids[:2],),
                properties={"channel": "root.coop_billing", "identity_key": identity_exact},
            )
            trap.assert_enqueued_job(run._process_batch, args=(run.line_ids[2:],))
            self.assertEqual(run.progress, 0.0)
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.progress, 100.0)
        self.assertEqual(run.line_ids.mapped("state"), ["done"] * 3)
        self.assertEqual(run.line_ids.move_id.coop_membership_id, members)
        self.assertEqual(run.amount_untaxed, 248.40)  # 3 x 1 h x 60 x 1.38
        self.assertEqual(run.done_count, 3)
        action = run.action_view_invoices()
        self.assertEqual(self.env["account.move"].search(action["domain"]), run.line_ids.move_id)

    def test_a_batch_is_queued_once(self):
        self._members_with_work(2)
        run = self.Run._create_due_run(date=date(2026, 3, 20))
        run.state = "running"
        with trap_jobs() as trap:
            run._enqueue_lines(run.line_ids)
            run._enqueue_lines(run.line_ids)  # the same batch again: identity_exact keeps one job
            trap.assert_jobs_count(1, only=run._process_batch)

    def test_requeued_job_invoices_nothing_twice(self):
        self._members_with_work(2)
        run = self.Run._create_due_run(date=date(2026, 3, 20))
        run.state = "running"
        self.assertEqual(run._process_batch(run.line_ids), "Lines processed: 2.")
        invoices = run.line_ids.move_id
        self.assertEqual(len(invoices), 2)
        # the job is run again (re-queued after its node died once the work was committed)
        self.assertEqual(run._process_batch(run.line_ids), "Lines processed: 0.")
        self.assertEqual(run.line_ids.move_id, invoices)
        self.assertEqual(
            self.env["account.move"].search_count([("coop_membership_id", "in", run.line_ids.membership_id.ids)]), 2
        )

    def test_failing_member_gets_its_error_the_49_others_are_invoiced(self):
        members = self._members_with_work(50)
        broken = members[17]
        receivable = broken.partner_id.property_account_receivable_id
        broken.partner_id.property_account_receivable_id = self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(self.env.company), ("account_type", "=", "income")],
            limit=1,
        )
        run = self.Run._create_due_run(date=date(2026, 3, 20))
        with trap_jobs() as trap:
            run.action_start()
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done_errors")
        self.assertEqual((run.done_count, run.failed_count), (49, 1))
        failed = self._line(run, broken)
        self.assertEqual(failed.state, "failed")
        self.assertEqual(failed.message, BROKEN_PARTNER_MESSAGE)
        self.assertFalse(failed.move_id)
        self.assertEqual(broken._get_uninvoiced_amount(), 82.80)
        self.assertEqual(run.amount_untaxed, 49 * 82.80)
        # the cause is fixed: retry the failed member
        broken.partner_id.property_account_receivable_id = receivable
        with trap_jobs() as trap:
            run.action_retry_failed()
            trap.assert_jobs_count(1, only=run._process_batch)
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual((failed.state, failed.move_id.amount_untaxed, failed.message), ("done", 82.80, False))
        self.assertEqual(len(run.line_ids.move_id), 50)

    def test_run_in_locked_period_names_the_lock_date(self):
        self._log(self.medior, 60, "2026-03-02")
        self.env.company.sudo().fiscalyear_lock_date = date(2026, 3, 31)
        run = self.Run._create_for_members(self.member, date=date(2026, 3, 20))
        run.action_process_now()
        line = run.line_ids
        self.assertEqual(line.state, "done")
        self.assertEqual(
            line.message,
            "The period is locked until 03/31/2026: nothing is posted into it, the invoice is accounted on 04/01/2026.",
        )
        self.assertEqual((line.move_id.invoice_date, line.move_id.date), (date(2026, 3, 20), date(2026, 4, 1)))

    def test_run_started_while_another_holds_the_member_says_which(self):
        self._log(self.medior, 60, "2026-03-02")
        first = self.Run._create_for_members(self.member, date=date(2026, 3, 20))
        with trap_jobs() as trap:
            first.action_start()
            second = self.Run._create_for_members(self.member, date=date(2026, 3, 20))
            self.assertEqual(second.line_ids.state, "skipped")
            self.assertEqual(second.line_ids.message, f"Held by the billing run {first.name}, which invoices it.")
            second.action_process_now()
            self.assertFalse(second.line_ids.move_id)
            trap.perform_enqueued_jobs()
        self.assertEqual(first.line_ids.state, "done")
        self.assertEqual(len(self.env["account.move"].search([("coop_membership_id", "=", self.member.id)])), 1)

    def test_cancelled_run_stops_after_the_current_batch_and_keeps_its_invoices(self):
        members = self._members_with_work(3)
        run = self.Run._create_due_run(date=date(2026, 3, 20), batch_size=1)
        with trap_jobs() as trap:
            run.action_start()
            jobs = sorted(trap.enqueued_jobs, key=lambda job: job.args[0].ids if job.args else [])
            batch_jobs = [job for job in jobs if job.method_name == "_process_batch"]
            batch_jobs[0].perform()  # the current batch
            run.action_cancel()
            for job in batch_jobs[1:]:
                self.assertEqual(job.perform(), "Run cancelled: nothing done.")
        self.assertEqual(run.state, "cancelled")
        self.assertEqual(run.line_ids.mapped("state"), ["done", "cancelled", "cancelled"])
        self.assertEqual(run.line_ids.move_id.coop_membership_id, members[0])

    @freeze_time("2026-03-20")
    def test_invoice_now_is_a_run_of_one_member(self):
        self._log(self.medior, 60, "2026-03-02")
        self.member.with_user(self.staff).action_coop_invoice_now()
        run = self.Run.search([("line_ids.membership_id", "=", self.member.id)])
        self.assertRecordValues(run, [{"state": "done", "trigger": "manual", "date": date(2026, 3, 20)}])
        self.assertEqual(run.line_ids.state, "done")
        self.assertEqual(run.line_ids.move_id.amount_untaxed, 82.80)


#: Odoo's refusal to post an invoice whose partner's receivable account is an income account
BROKEN_PARTNER_MESSAGE = "Any journal item on a receivable account must have a due date and vice versa."
