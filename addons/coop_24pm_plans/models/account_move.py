from odoo import Command, api, fields, models
from odoo.fields import Domain

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches


class AccountMove(models.Model):
    _inherit = "account.move"

    coop_membership_id = fields.Many2one(
        "coop.membership", "Membership", index="btree_not_null", copy=False, readonly=True
    )
    coop_invoice_kind = fields.Selection(
        [
            ("contribution", "Contribution"),
            ("contribution_annual", "Annual contribution"),
            ("free_months", "Free months due (late payment)"),
            ("adjustment", "Plan change adjustment"),
            ("indemnity", "Fault indemnity"),
            ("success_pack", "Success Pack"),
            ("diagnosis", "Strategic diagnosis"),
        ],
        "Cooperative invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    coop_free_months_move_id = fields.Many2one("account.move", "Free months invoice", copy=False, readonly=True)
    coop_paid_in_time = fields.Boolean(
        "Paid within the delay",
        copy=False,
        readonly=True,
        help="Annual commitment paid within the regulation's delay after its due date (art. 4.4.2), "
        "judged by the date of the payment: the free months stay free.",
    )
    coop_upgrade_advice = fields.Text("Upgrade advice", compute="_compute_coop_upgrade_advice")

    @api.model
    def _coop_consumption_domain(self):
        """Contributions, plan adjustments, indemnities and the plans' other invoices are no
        consumption (SPEC 3.3)."""
        return super()._coop_consumption_domain() & Domain("coop_invoice_kind", "=", False)

    @api.model
    def _coop_billed_consumption(self, membership, date_from, date_to):
        """Service work billed to ``membership`` between the dates (untaxed, credit notes
        deducted): the lines of service products (timesheets, expenses and their margin).
        Never contributions, calls for funds (B share, guarantee), prepayments, fees or
        other lines without a service product (SPEC 3.3)."""
        membership.ensure_one()
        domain = Domain("move_id", "any", self._coop_consumption_domain()) & Domain(
            [
                ("move_id.partner_id", "child_of", membership.partner_id.commercial_partner_id.id),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("move_id.invoice_date", ">=", date_from),
                ("move_id.invoice_date", "<=", date_to),
                ("company_id", "=", membership.company_id.id),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("product_id.type", "=", "service"),
            ]
        )
        balance = self.env["account.move.line"].sudo()._read_group(domain, [], ["balance:sum"])[0][0]
        return membership.currency_id.round(-(balance or 0.0))

    def _compute_coop_upgrade_advice(self):
        """SPEC 3.3: on each service invoice, the advice to upgrade when it pays."""
        consumption = self.filtered_domain(self._coop_consumption_domain())
        for move in self:
            advice = False
            if move.move_type == "out_invoice" and move in consumption and move.partner_id:
                membership = (
                    self.env["coop.membership"]
                    .sudo()
                    .search(
                        Domain("partner_id", "=", move.partner_id.commercial_partner_id.id)
                        & self.env["coop.membership"]._coop_state_domain("member")
                        & Domain("company_id", "=", move.company_id.id),
                        limit=1,
                    )
                )
                if membership:
                    result = self.env["coop.plan"]._coop_get_upgrade_advice(
                        membership, move.invoice_date or fields.Date.context_today(move)
                    )
                    advice = result["message"] if result else False
            move.coop_upgrade_advice = advice

    @api.model
    def _coop_create_member_invoice(self, membership, kind, lines, date=None, move_type="out_invoice"):
        """Create and post an invoice of the member (indemnity, adjustment, offers...), or a
        credit note 24PM pays out (``out_refund``: the indemnity when 24PM is at fault)."""
        membership.ensure_one()
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(membership.company_id), ("type", "=", "sale")], limit=1
        )
        move = self.sudo().create(
            {
                "move_type": move_type,
                "partner_id": membership.partner_id.id,
                "company_id": membership.company_id.id,
                "journal_id": journal.id,
                "invoice_date": date or fields.Date.context_today(self),
                "invoice_origin": membership.name,
                "coop_membership_id": membership.id,
                "coop_invoice_kind": kind,
                "coop_pays_out": move_type == "out_refund",
                "invoice_line_ids": [Command.create(vals) for vals in lines],
            }
        )
        move._coop_post()
        return move

    @api.model
    def _cron_coop_annual_free_months(self):
        """SPEC 3.1, art. 4.4.2: an annual contribution paid more than 10 days after its due
        date makes the free months (2 months of the contribution) due. Judged by the date of
        the payment (SPEC 7.2), not by whether it is still unpaid when the job runs."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative annual free months")
        moves = self.search(
            [
                ("company_id", "in", ready.ids),
                ("coop_invoice_kind", "=", "contribution_annual"),
                ("state", "=", "posted"),
                ("move_type", "=", "out_invoice"),
                ("coop_free_months_move_id", "=", False),
                ("coop_paid_in_time", "=", False),
                ("invoice_date_due", "<", today),
            ]
        )
        done = []

        def charge_free_months(move):
            if move.coop_free_months_move_id or move.coop_paid_in_time:
                return  # done meanwhile by another run
            membership = move.coop_membership_id
            regulation = membership.regulation_id
            limit = fields.Date.add(move.invoice_date_due or move.invoice_date, days=regulation.annual_late_days)
            if limit >= today:
                return
            if move.currency_id.compare_amounts(move._coop_get_paid_by(limit), move.amount_total) >= 0:
                move.coop_paid_in_time = True
                return
            plan_lines = move.invoice_line_ids.filtered(lambda line: line.contract_line_id.coop_kind == "plan")
            if not plan_lines:
                return
            contract_line = plan_lines[0].contract_line_id
            amount = move.currency_id.round(contract_line.coop_monthly_fee * regulation.annual_discount_months)
            free = self._coop_create_member_invoice(
                membership,
                "free_months",
                [
                    {
                        "product_id": contract_line.product_id.id,
                        "quantity": 1.0,
                        "price_unit": amount,
                        "name": self.env._(
                            "%(months)s free months of the annual commitment now due: invoice %(inv)s "
                            "paid more than %(days)s days late",
                            months=regulation.annual_discount_months,
                            inv=move.name,
                            days=regulation.annual_late_days,
                        ),
                        **contract_line.contract_id._coop_contribution_income_vals(contract_line.coop_plan_id),
                    }
                ],
            )
            move.coop_free_months_move_id = free
            done.append(move)

        run_in_batches(moves, charge_free_months)
        return len(self.browse([move.id for move in done]).filtered("coop_free_months_move_id"))
