"""Test-only models of ``test_run_mixin``: a run by batches and its lines, made of the
abstract parts of ``coop.billing.run`` (``coop.run.mixin``, ``coop.run.line.mixin``)
and nothing else. Loaded by ``odoo-test-helper`` in the test only; never imported by the
addon (importing this file registers the models for the addon)."""

from odoo import fields, models
from odoo.exceptions import UserError


class CoopTestRun(models.Model):
    _name = "coop.test.run"
    _inherit = ["coop.run.mixin"]
    _description = "Run of the run mixin's test"
    _run_channel = "root.coop_test"

    line_ids = fields.One2many("coop.test.run.line", "run_id")


class CoopTestRunLine(models.Model):
    _name = "coop.test.run.line"
    _inherit = ["coop.run.line.mixin"]
    _description = "Line of the run mixin's test"

    run_id = fields.Many2one("coop.test.run", required=True, ondelete="cascade")
    value = fields.Integer()
    processed_count = fields.Integer(help="How many times a batch processed the line.")

    def _process(self):
        """A line of a negative value fails; the others are done."""
        for line in self:
            line.processed_count += 1
            try:
                if line.value < 0:
                    raise UserError(self.env._("negative value %s", line.value))
                line.write({"state": "done", "message": False})
            except UserError as error:
                line.write({"state": "failed", "message": str(error)})
