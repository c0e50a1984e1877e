import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)

#: the queue_job channel of the billing batches (capacity in odoo.conf, [queue_job] channels)
BILLING_CHANNEL = "root.coop_billing"


class CoopBillingRun(models.Model):
    """A threshold invoicing run (art. 6.2): one line per member considered.

    Shaped like OCA's ``account.payment.order``: a draft run lists its members; started,
    its members are invoiced by batches, each batch an OCA ``queue_job`` job on the
    ``root.coop_billing`` channel, so every Odoo process running jobs takes a share.
    Exactly-once does not depend on the jobs: the billable lines are row-locked in the
    transaction that writes the invoice, a line is processed only while ``pending``, and a
    member has one line per run (unique constraint)."""

    _name = "coop.billing.run"
    _description = "Billing run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    date = fields.Date(
        "Invoice date", required=True, default=fields.Date.context_today, tracking=True,
        help="Date of the invoices issued by this run.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("done_errors", "Done with errors"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Started by staff")], default="manual", required=True, readonly=True
    )
    batch_size = fields.Integer(default=50, required=True, help="Members invoiced per job.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("coop.billing.run.line", "run_id", "Members", copy=False)
    line_count = fields.Integer("Members considered", compute="_compute_totals")
    pending_count = fields.Integer("To process", compute="_compute_totals")
    invoiced_count = fields.Integer("Invoiced", compute="_compute_totals")
    failed_count = fields.Integer("Failed", compute="_compute_totals")
    skipped_count = fields.Integer("Skipped", compute="_compute_totals")
    amount_untaxed = fields.Monetary("Invoiced (untaxed)", compute="_compute_totals")
    progress = fields.Float(compute="_compute_totals", help="Share of the members processed, in percent.")

    _name_uniq = models.Constraint("UNIQUE(name)", "A billing run with this reference already exists.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.billing.run") or "/"
        return super().create(vals_list)

    @api.depends("line_ids.state", "line_ids.amount_untaxed")
    def _compute_totals(self):
        Line = self.env["coop.billing.run.line"]
        counts = {
            (run.id, state): (count, amount)
            for run, state, count, amount in Line._read_group(
                [("run_id", "in", self.ids)], ["run_id", "state"], ["__count", "amount_untaxed:sum"]
            )
        }
        for run in self:
            def count(*states, run=run):
                return sum(counts.get((run.id, state), (0, 0.0))[0] for state in states)

            run.line_count = count("pending", "invoiced", "nothing", "skipped", "failed", "cancelled")
            run.pending_count = count("pending")
            run.invoiced_count = count("invoiced")
            run.failed_count = count("failed")
            run.skipped_count = count("skipped", "nothing", "cancelled")
            run.amount_untaxed = counts.get((run.id, "invoiced"), (0, 0.0))[1]
            run.progress = 100.0 * (run.line_count - run.pending_count) / run.line_count if run.line_count else 0.0

    # ------------------------------------------------------------------
    # creation
    # ------------------------------------------------------------------
    @api.model
    def _create_for_members(self, memberships, date=None, trigger="manual", batch_size=50):
        """A draft run with one line per member. A member that a running run still has to
        process gets a ``skipped`` line naming that run: it is invoiced there, once."""
        memberships = memberships.sudo()
        run = self.create(
            {
                "date": date or fields.Date.context_today(self),
                "trigger": trigger,
                "batch_size": batch_size,
                "company_id": (memberships.company_id[:1] or self.env.company).id,
            }
        )
        held = {
            line.membership_id: line.run_id
            for line in self.env["coop.billing.run.line"].sudo().search(
                [
                    ("membership_id", "in", memberships.ids),
                    ("state", "=", "pending"),
                    ("run_id.state", "=", "running"),
                ]
            )
        }
        vals = []
        for membership in memberships:
            other = held.get(membership)
            vals.append(
                {
                    "run_id": run.id,
                    "membership_id": membership.id,
                    "state": "skipped" if other else "pending",
                    "message": self.env._("Held by the billing run %(run)s, which invoices it.", run=other.name)
                    if other
                    else False,
                }
            )
        self.env["coop.billing.run.line"].sudo().create(vals)
        return run

    @api.model
    def action_create_for_members(self, memberships):
        """Staff (action on a selection of members): a draft run of these members."""
        run = self._create_for_members(memberships)
        return run._get_form_action()

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.billing.run",
            "res_id": self.id,
            "view_mode": "form",
            "name": self.name,
        }

    # ------------------------------------------------------------------
    # scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_coop_service_invoicing(self, batch_size=50):
        """Scheduled action: a run of the due members of the companies whose Cooperative
        configuration is complete, queued as jobs (one per batch of members)."""
        run = self.with_context(coop_check_configuration=True)._create_due_run(batch_size=batch_size)
        if run:
            run.action_start()
        return run

    @api.model
    def _create_due_run(self, date=None, batch_size=50):
        """A draft run of the members due on ``date`` (nothing when none is due)."""
        date = date or fields.Date.context_today(self)
        due = self.env["coop.membership"]._coop_get_due_memberships(date)
        if not due:
            return self.browse()
        return self._create_for_members(due, date=date, trigger="cron", batch_size=batch_size)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _check_state(self, *states):
        for run in self:
            if run.state not in states:
                raise UserError(
                    self.env._(
                        "The billing run %(run)s is %(state)s: this action is not possible.",
                        run=run.name,
                        state=dict(run._fields["state"]._description_selection(self.env))[run.state],
                    )
                )

    def action_start(self):
        """Queue the pending members, one job per batch; the last job closes the run."""
        self._check_state("draft")
        self.state = "running"
        for run in self:
            run._enqueue_lines(run.line_ids.filtered(lambda line: line.state == "pending"))
        return True

    def action_process_now(self):
        """Invoice the pending members in this transaction (a run of one member: "invoice now")."""
        self._check_state("draft", "running")
        self.state = "running"
        for run in self:
            for batch_ids in split_every(run.batch_size or 50, run.line_ids.filtered(lambda l: l.state == "pending").ids):
                run._process_batch(self.env["coop.billing.run.line"].browse(batch_ids))
            run._finalize()
        return True

    def action_retry_failed(self):
        """Put the failed members back in the queue (after the cause was fixed)."""
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
        """Stop: the members not taken by a job yet are not invoiced; a batch being
        invoiced finishes, and what was invoiced stays."""
        self._check_state("draft", "running")
        self.state = "cancelled"
        pending = self.line_ids.filtered(lambda line: line.state == "pending")
        pending.try_lock_for_update().write({"state": "cancelled"})
        return True

    def action_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Invoices of %(run)s", run=self.name),
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.move_id.ids)],
            "context": {"default_move_type": "out_invoice", "create": False},
        }

    # ------------------------------------------------------------------
    # jobs
    # ------------------------------------------------------------------
    def _enqueue_lines(self, lines):
        """One job per batch of lines on ``root.coop_billing`` (``identity_exact``: the same
        batch is queued once), then one job closing the run after all of them."""
        self.ensure_one()
        batches = [
            self.delayable(
                channel=BILLING_CHANNEL,
                identity_key=identity_exact,
                description=self.env._("%(run)s: invoice %(count)s members", run=self.name, count=len(batch_ids)),
            )._process_batch(lines.browse(batch_ids))
            for batch_ids in split_every(self.batch_size or 50, lines.ids)
        ]
        if not batches:
            self._finalize()
            return
        close = self.delayable(channel=BILLING_CHANNEL, description=self.env._("%(run)s: close", run=self.name))
        group(*batches).on_done(close._finalize()).delay()

    def _process_batch(self, lines):
        """Job: invoice the members of ``lines`` still pending (a re-queued job finds the
        ones its killed predecessor committed already done, and skips them)."""
        self.ensure_one()
        if self.state == "cancelled":
            return self.env._("Run cancelled: nothing done.")
        lines = lines.try_lock_for_update()
        lines.invalidate_recordset(["state"])
        lines = lines.filtered(lambda line: line.state == "pending")
        lines._invoice_members()
        return self.env._("Members processed: %(count)s.", count=len(lines))

    def _finalize(self):
        """Job run after the batches: the run is done, or done with errors."""
        for run in self.filtered(lambda r: r.state == "running"):
            states = set(run.line_ids.mapped("state"))
            if "pending" in states:
                continue  # a batch did not finish (its job failed): the run stays open
            run.state = "done_errors" if "failed" in states else "done"
        return True
