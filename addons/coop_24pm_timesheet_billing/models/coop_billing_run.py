from odoo import api, fields, models
from odoo.exceptions import UserError

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
    _inherit = ["coop.run.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _run_channel = BILLING_CHANNEL

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    date = fields.Date(
        "Invoice date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Date of the invoices issued by this run.",
    )
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Started by staff")], default="manual", required=True, readonly=True
    )
    batch_size = fields.Integer(help="Members invoiced per job.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("coop.billing.run.line", "run_id", "Members", copy=False)
    line_count = fields.Integer("Members considered")
    done_count = fields.Integer("Invoiced")
    amount_untaxed = fields.Monetary("Invoiced (untaxed)", compute="_compute_run_counts")
    progress = fields.Float(help="Share of the members processed, in percent.")

    _name_uniq = models.Constraint("UNIQUE(name)", "A billing run with this reference already exists.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.billing.run") or "/"
        return super().create(vals_list)

    @api.depends("line_ids.state", "line_ids.amount_untaxed")
    def _compute_run_counts(self):
        res = super()._compute_run_counts()
        amounts = dict(
            self.env["coop.billing.run.line"]._read_group(
                [("run_id", "in", self.ids), ("state", "=", "done")], ["run_id"], ["amount_untaxed:sum"]
            )
        )
        for run in self:
            run.amount_untaxed = amounts.get(run, 0.0)
        return res

    # ------------------------------------------------------------------
    # creation
    # ------------------------------------------------------------------
    @api.model
    def _create_for_members(self, memberships, date=None, trigger="manual", batch_size=50):
        """A draft run with one line per member. A member that a running run still has to
        process gets a ``skipped`` line naming that run: it is invoiced there, once."""
        # a recordset of its own: read together, whatever prefetch set the caller's came with
        memberships = self.env["coop.membership"].sudo().browse(memberships.ids)
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
            for line in self.env["coop.billing.run.line"]
            .sudo()
            .search(
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

    @api.model
    def _invoice_now(self, memberships):
        """Staff: issue the service invoice of these members now, whatever the rhythm (a
        billing run of these members, processed at once); the action showing the invoices.
        The failure of a single member is its refusal."""
        run = self._create_for_members(memberships)
        run.action_process_now()
        failed = run.line_ids.filtered(lambda line: line.state in ("failed", "skipped"))
        if failed and len(memberships) == 1:
            raise UserError(failed.message)
        invoices = run.line_ids.move_id
        if not invoices:
            raise UserError(
                self.env._("Nothing to invoice: no uninvoiced work or expense (or another run is invoicing it).")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Service invoices"),
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
        }

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
        due = self.env["coop.service.pricing"]._get_due_memberships(date)
        if not due:
            return self.browse()
        return self._create_for_members(due, date=date, trigger="cron", batch_size=batch_size)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
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
