"""The abstract parts of the billing run (``coop.run.mixin``, ``coop.run.line.mixin``) on
a test-only run (``run_mixin_models``) loaded with ``odoo-test-helper``: states, counts
and progress, batches as ``queue_job`` jobs, retry, cancel; nothing of the billing."""

from odoo.exceptions import UserError
from odoo.orm import models as orm_models
from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

# odoo-test-helper 2.1 reads the registry of Odoo up to 18 (``MetaModel.module_to_models``);
# Odoo 19 names it ``_module_to_models__``, and loads and sets up models with new
# signatures: the loader below gives it the 19.0 calls.
if not hasattr(orm_models.MetaModel, "module_to_models"):
    orm_models.MetaModel.module_to_models = orm_models.MetaModel._module_to_models__
from odoo_test_helper import FakeModelLoader  # noqa: E402


class FakeModelLoader19(FakeModelLoader):
    """``FakeModelLoader`` with Odoo 19's registry calls."""

    def update_registry(self, odoo_models):
        from unittest import mock  # noqa: PLC0415

        from odoo_test_helper.fake_model_loader import FakePackage, module_to_models  # noqa: PLC0415

        self.env.flush_all()
        self._clean_module_to_model()
        for model in odoo_models:
            if model not in module_to_models[self._module_name]:
                module_to_models[self._module_name].append(model)
        registry = self.env.registry
        with mock.patch.object(self.env.cr, "commit"):
            model_names = registry.load(FakePackage(self._module_name))
            registry._setup_models__(self.env.cr, model_names)
            registry.init_models(self.env.cr, model_names, {"module": self._module_name})

    def restore_registry(self):
        registry = self.env.registry
        for name, original in self._original_registry.items():
            model = registry[name]
            model._inherit_children = original["_inherit_children"]
            model._inherits_children = original["_inherits_children"]
        for name in list(registry.models):
            if name not in self._original_registry:
                del registry.models[name]
        self._clean_module_to_model()
        registry._setup_models__(self.env.cr)


@tagged("post_install", "-at_install")
class TestRunMixin(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader19(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .run_mixin_models import CoopTestRun, CoopTestRunLine  # noqa: PLC0415

        cls.loader.update_registry((CoopTestRun, CoopTestRunLine))
        cls.addClassCleanup(cls.loader.restore_registry)

    def _run(self, values, batch_size=2):
        return self.env["coop.test.run"].create(
            {"batch_size": batch_size, "line_ids": [(0, 0, {"value": value}) for value in values]}
        )

    def _batches(self, trap):
        """The lines of each batch job queued in ``trap``."""
        return [job.args[0] for job in trap.enqueued_jobs if job.method_name == "_process_batch"]

    def test_counts_and_progress_follow_the_lines(self):
        run = self._run([1, 2, -3, 4])
        self.assertRecordValues(run, [{"state": "draft", "line_count": 4, "pending_count": 4, "progress": 0.0}])
        run.line_ids[:2].write({"state": "done"})
        run.line_ids[2].write({"state": "failed"})
        run.invalidate_recordset()
        self.assertRecordValues(
            run, [{"pending_count": 1, "done_count": 2, "failed_count": 1, "skipped_count": 0, "progress": 75.0}]
        )

    def test_process_now_runs_every_batch_and_closes_the_run(self):
        run = self._run([1, 2, 3, 4, 5])
        run.action_process_now()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.line_ids.mapped("state"), ["done"] * 5)
        self.assertEqual(run.line_ids.mapped("processed_count"), [1] * 5)

    def test_a_failed_line_keeps_its_message_and_the_run_is_done_with_errors(self):
        run = self._run([1, -2, 3])
        run.action_process_now()
        self.assertEqual(run.state, "done_errors")
        self.assertEqual(run.line_ids.mapped("state"), ["done", "failed", "done"])
        self.assertEqual(run.line_ids[1].message, "negative value -2")

    def test_start_queues_one_job_per_batch_on_the_run_channel_then_closes(self):
        run = self._run([1, 2, 3, 4, 5], batch_size=2)
        with trap_jobs() as trap:
            run.action_start()
            self.assertEqual(run.state, "running")
            trap.assert_jobs_count(3, only=run._process_batch)
            trap.assert_jobs_count(1, only=run._finalize)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.channel, "root.coop_test")
            batches = self._batches(trap)
            self.assertEqual(sorted(len(batch) for batch in batches), [1, 2, 2])
            self.assertEqual(run.line_ids.browse().union(*batches), run.line_ids)
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.line_ids.mapped("processed_count"), [1] * 5)

    def test_a_batch_job_run_twice_processes_its_lines_once(self):
        run = self._run([1, 2])
        with trap_jobs() as trap:
            run.action_start()
            trap.perform_enqueued_jobs()
        run._process_batch(run.line_ids)  # a re-queued job finds its lines done
        self.assertEqual(run.line_ids.mapped("processed_count"), [1, 1])

    def test_retry_requeues_only_the_failed_lines(self):
        run = self._run([1, -2, 3])
        run.action_process_now()
        failed = run.line_ids.filtered(lambda line: line.state == "failed")
        failed.value = 2  # the cause is fixed
        with trap_jobs() as trap:
            run.action_retry_failed()
            self.assertEqual(run.state, "running")
            trap.assert_jobs_count(1, only=run._process_batch)
            self.assertEqual(self._batches(trap), [failed])
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.line_ids.mapped("processed_count"), [1, 2, 1])

    def test_cancel_stops_the_pending_lines_and_keeps_what_was_done(self):
        run = self._run([1, 2, 3, 4], batch_size=2)
        with trap_jobs() as trap:
            run.action_start()
            first = run.line_ids[:2]
            next(job for job in trap.enqueued_jobs if job.args and job.args[0] == first).perform()
            run.action_cancel()
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "cancelled")
        self.assertEqual(run.line_ids.mapped("state"), ["done", "done", "cancelled", "cancelled"])

    def test_actions_refuse_a_run_in_the_wrong_state(self):
        run = self._run([1])
        run.action_process_now()
        with self.assertRaisesRegex(UserError, "this action is not possible"):
            run.action_start()
        with self.assertRaisesRegex(UserError, "this action is not possible"):
            run.action_cancel()
        self.assertEqual(run.state, "done")
