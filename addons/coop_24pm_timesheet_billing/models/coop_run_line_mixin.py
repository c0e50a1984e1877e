from odoo import fields, models


class CoopRunLineMixin(models.AbstractModel):
    """A line of a ``coop.run.mixin`` run: one item, its state and its message. The
    concrete model defines ``run_id`` and ``_process`` (one batch of pending lines)."""

    _name = "coop.run.line.mixin"
    _description = "Line of a run by batches"

    state = fields.Selection(
        [
            ("pending", "To process"),
            ("done", "Done"),
            ("nothing", "Nothing to do"),
            ("skipped", "Held elsewhere"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    message = fields.Text(readonly=True, help="Why the line failed or was skipped, or a note on its result.")

    def _process(self):
        """Process these pending lines (one batch of one run) and write each outcome."""
        raise NotImplementedError
