from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.job import identity_exact


class CoopRunMixin(models.AbstractModel):
    """A run of work on many items, one line per item, by batches of lines, each batch an
    OCA ``queue_job`` job (shaped like OCA's ``account.payment.order``).

    The concrete model defines ``line_ids`` (lines inheriting ``coop.run.line.mixin``),
    ``_run_channel`` (the queue_job channel of its batches) and, on its lines,
    ``_process`` (the work of one batch). States: draft, running, done, done with errors,
    cancelled; a batch processes only its lines still pending (a re-queued job finds the
    committed work of its killed predecessor done); the last job closes the run."""

    _name = "coop.run.mixin"
    _description = "Run by batches of lines (queue_job)"
    _inherit = ["coop.state.transition.mixin"]

    #: queue_job channel of the batches (a ``queue.job.channel`` shipped as data)
    _run_channel = "root"

    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("done_errors", "Done with errors"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
    )
    batch_size = fields.Integer(default=50, required=True, help="Lines processed per job.")
    line_count = fields.Integer("Lines", compute="_compute_run_counts")
    pending_count = fields.Integer("To process", compute="_compute_run_counts")
    done_count = fields.Integer("Done", compute="_compute_run_counts")
    failed_count = fields.Integer("Failed", compute="_compute_run_counts")
    skipped_count = fields.Integer("Skipped", compute="_compute_run_counts")
    progress = fields.Float(compute="_compute_run_counts", help="Share of the lines processed, in percent.")

    def _compute_run_counts(self):
        """Counts per state in one query (the concrete model adds ``@api.depends`` on its lines)."""
        Line = self.env[self._fields["line_ids"].comodel_name]
        counts = {
            (run.id, state): count
            for run, state, count in Line._read_group([("run_id", "in", self.ids)], ["run_id", "state"], ["__count"])
        }
        for run in self:
            by_state = {state: counts.get((run.id, state), 0) for state in Line._fields["state"].get_values(self.env)}
            run.line_count = sum(by_state.values())
            run.pending_count = by_state["pending"]
            run.done_count = by_state["done"]
            run.failed_count = by_state["failed"]
            run.skipped_count = by_state["skipped"] + by_state["nothing"] + by_state["cancelled"]
            run.progress = 100.0 * (run.line_count - run.pending_count) / run.line_count if run.line_count else 0.0

    def _check_state(self, *states):
        for run in self:
            if run.state not in states:
                raise UserError(
                    self.env._(
                        "The run %(run)s is %(state)s: this action is not possible.",
                        run=run.display_name,
                        state=dict(run._fields["state"]._description_selection(self.env))[run.state],
                    )
                )

    def action_start(self):
        """Queue the pending lines, one job per batch; the last job closes the run."""
        self._check_state("draft")
        self.state = "running"
        for run in self:
            run._enqueue_lines(run.line_ids.filtered(lambda line: line.state == "pending"))
        return True

    def action_process_now(self):
        """Process the pending lines in this transaction, batch after batch."""
        if not self:
            return True
        self._check_state("draft", "running")
        self.state = "running"
        for run in self:
            for batch_ids in split_every(
                run.batch_size or 50, run.line_ids.filtered(lambda line: line.state == "pending").ids
            ):
                run._process_batch(run.line_ids.browse(batch_ids))
            run._finalize()
        return True

    def action_retry_failed(self):
        """Put the failed lines back in the queue (after their cause was fixed)."""
        self._check_state("done_errors", "running")
        for run in self:
            failed = run.line_ids.filtered(lambda line: line.state == "failed")
            if not failed:
                continue
            failed.write({"state": "pending", "message": False})
            run.state = "running"
            run._enqueue_lines(failed)
        return True

    def action_cancel(self):
        """Stop: the lines no job has taken yet are cancelled; a batch being processed
        finishes, and what was done stays."""
        self._check_state("draft", "running")
        self.state = "cancelled"
        pending = self.line_ids.filtered(lambda line: line.state == "pending")
        pending.try_lock_for_update().write({"state": "cancelled"})
        return True

    def _enqueue_lines(self, lines):
        """One job per batch of lines on ``_run_channel`` (``identity_exact``: the same batch
        is queued once), then one job closing the run after all of them."""
        self.ensure_one()
        batches = [
            self.delayable(
                channel=self._run_channel,
                identity_key=identity_exact,
                description=self.env._("%(run)s: %(count)s lines", run=self.display_name, count=len(batch_ids)),
            )._process_batch(lines.browse(batch_ids))
            for batch_ids in split_every(self.batch_size or 50, lines.ids)
        ]
        if not batches:
            self._finalize()
            return
        close = self.delayable(
            channel=self._run_channel, description=self.env._("%(run)s: close", run=self.display_name)
        )
        group(*batches).on_done(close._finalize()).delay()

    def _process_batch(self, lines):
        """Job: process the lines of this batch still pending."""
        self.ensure_one()
        if self.state == "cancelled":
            return self.env._("Run cancelled: nothing done.")
        lines = lines.try_lock_for_update()
        lines.invalidate_recordset(["state"])
        lines = lines.filtered(lambda line: line.state == "pending")
        lines._process()
        return self.env._("Lines processed: %(count)s.", count=len(lines))

    def _finalize(self):
        """Job run after the batches: the run is done, or done with errors."""
        for run in self.filtered(lambda r: r.state == "running"):
            states = set(run.line_ids.mapped("state"))
            if "pending" in states:
                continue  # a batch did not finish (its job failed): the run stays open
            run.state = "done_errors" if "failed" in states else "done"
        return True
