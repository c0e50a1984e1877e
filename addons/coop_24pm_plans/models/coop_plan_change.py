from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches

from .coop_plan_rules import change_effective_date, period_containing, prorata_fraction, split_by_period

#: start states each action accepts (tests read this table)
TRANSITIONS = {
    "action_confirm": ("requested",),
    "action_cancel": ("requested",),
}


class CoopPlanChange(models.Model):
    """A change of plan (SPEC 3.2, art. 4.5): requested by staff or the member, confirmed
    by the member (e-mail link or portal). Monthly commitment: an upgrade takes effect on
    confirmation, a downgrade on the 1st of the next month; annual commitment: at the end
    of the commitment year. Already invoiced periods are adjusted pro rata by days."""

    _name = "coop.plan.change"
    _description = "Plan change"
    _inherit = ["mail.thread", "portal.mixin", "coop.state.transition.mixin"]
    _coop_transitions = TRANSITIONS
    _order = "date_request desc, id desc"

    membership_id = fields.Many2one("coop.membership", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    commitment = fields.Selection(related="membership_id.commitment")
    old_plan_id = fields.Many2one("coop.plan", "Current plan", compute="_compute_old_plan", store=True, readonly=True)
    new_plan_id = fields.Many2one(
        "coop.plan",
        "New plan",
        required=True,
        domain="[('regulation_id', '=', regulation_id), ('id', '!=', old_plan_id)]",
    )
    regulation_id = fields.Many2one(related="membership_id.regulation_id")
    new_amount = fields.Monetary(
        "New monthly contribution",
        compute="_compute_new_amount",
        store=True,
        readonly=False,
        help="Default from the new plan.",
    )
    direction = fields.Selection(
        [("upgrade", "Upgrade"), ("downgrade", "Downgrade")], compute="_compute_direction", store=True
    )
    origin = fields.Selection(
        [("staff", "24PM staff"), ("member", "The member"), ("trial", "End of the trial")],
        default="staff",
        required=True,
    )
    state = fields.Selection(
        [
            ("requested", "Waiting for the member's confirmation"),
            ("confirmed", "Confirmed"),
            ("applied", "In force"),
            ("cancelled", "Cancelled"),
        ],
        default="requested",
    )
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    date_request = fields.Date(default=fields.Date.context_today, readonly=True)
    date_confirmed = fields.Date(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_effective = fields.Date("Takes effect on", readonly=True, copy=False, tracking=True)
    adjustment_move_id = fields.Many2one("account.move", "Adjustment invoice", readonly=True, copy=False)

    @api.depends("membership_id")
    def _compute_old_plan(self):
        for change in self:
            if not change.old_plan_id:
                change.old_plan_id = change.membership_id.plan_id

    @api.depends("new_plan_id")
    def _compute_new_amount(self):
        for change in self:
            change.new_amount = change.new_plan_id.monthly_fee

    @api.depends("old_plan_id.rank", "new_plan_id.rank")
    def _compute_direction(self):
        for change in self:
            change.direction = "upgrade" if change.new_plan_id.rank > change.old_plan_id.rank else "downgrade"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for change in self:
            change.access_url = f"/my/plan/change/{change.id}"
        return res

    @api.depends("new_plan_id", "membership_id")
    def _compute_display_name(self):
        for change in self:
            change.display_name = self.env._(
                "%(member)s: %(old)s to %(new)s",
                member=change.partner_id.name or "",
                old=change.old_plan_id.name or "",
                new=change.new_plan_id.name or "",
            )

    @api.model
    def _coop_check_member_right(self, user):
        """Art. 4.6: changing the plan (asking or confirming it) is a finance matter: an
        agent of the member needs the finance right."""
        user.partner_id._coop_check_right(
            "finance", self.env._("Your mandate does not include the finance right needed to change the plan.")
        )

    @api.model_create_multi
    def create(self, vals_list):
        # art. 4.6: the member's request, from the portal or elsewhere, refused before anything is written
        for vals in vals_list:
            if vals.get("origin") != "member":
                continue
            user = self.env["res.users"].browse(vals.get("requested_by_id")) or self.env.user
            self._coop_check_member_right(user)
            membership = self.env["coop.membership"].browse(vals.get("membership_id"))
            plan = self.env["coop.plan"].browse(vals.get("new_plan_id"))
            user.partner_id._coop_check_amount_limit(
                plan.monthly_fee, membership.currency_id, self.env._("A plan with a monthly contribution")
            )
        return super().create(vals_list)

    def action_member_confirm(self, user=None):
        """The member's confirmation: by ``user`` logged in on the portal (finance right,
        art. 4.6), or through the e-mail link (``user`` None: the link's token is the proof)."""
        if user:
            self._coop_check_member_right(user)
        return self.action_confirm()

    @api.constrains("new_plan_id", "membership_id", "state")
    def _check_request(self):
        for change in self.filtered(lambda c: c.state in ("requested", "confirmed")):
            membership = change.membership_id
            if not membership.contract_id or not membership.is_member:
                raise ValidationError(self.env._("Only an active member with a subscription can change plan."))
            if change.new_plan_id == change.old_plan_id:
                raise ValidationError(self.env._("The member already has the plan %s.", change.new_plan_id.name))
            if change.new_plan_id.regulation_id != membership.regulation_id:
                raise ValidationError(
                    self.env._("The plan %s belongs to another regulation.", change.new_plan_id.display_name)
                )
            others = self.search_count(
                [
                    ("membership_id", "=", membership.id),
                    ("id", "!=", change.id),
                    ("state", "in", ("requested", "confirmed")),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._("A plan change of %s is already under way.", membership.partner_id.name)
                )
            if change.new_amount < 0:
                raise ValidationError(self.env._("A contribution cannot be negative."))

    def _coop_transition_refusal(self, allowed):
        return self.env._("This plan change is no longer waiting for a confirmation.")

    # ------------------------------------------------------------------
    # flow
    # ------------------------------------------------------------------
    def action_send_confirmation(self):
        """E-mail to the member with a confirmation link (SPEC 3.2)."""
        template = self.env.ref("coop_24pm_plans.mail_template_plan_change_confirm")
        for change in self.filtered(lambda c: c.state == "requested"):
            change._portal_ensure_token()
            change.membership_id._coop_send_notice("plan_change", template, record=change)
        return True

    def action_confirm(self):
        """The member's confirmation (portal, e-mail link, or staff recording it)."""
        self._check_transition("action_confirm")
        for change in self:
            change._do_confirm()
        return True

    def action_cancel(self):
        return self._coop_transit("action_cancel", "cancelled")

    @api.model
    def _coop_cancel_requested(self, memberships):
        """The end of the membership cancels the changes it still requested (art. 10)."""
        self.search([("membership_id", "in", memberships.ids), ("state", "=", "requested")]).write(
            {"state": "cancelled"}
        )

    def _do_confirm(self, effective=None):
        self.ensure_one()
        today = fields.Date.context_today(self)
        membership = self.membership_id
        if effective is None:
            effective = self._coop_effective_date(today)
        self.write(
            {
                "state": "confirmed",
                "date_confirmed": today,
                "confirmed_by_id": self.env.user.id,
                "date_effective": effective,
            }
        )
        self._apply_to_contract()
        if effective <= today:
            self._apply_to_membership()
        membership.message_post(
            body=self.env._(
                "Plan change confirmed: %(old)s to %(new)s from %(date)s.",
                old=self.old_plan_id.name,
                new=self.new_plan_id.name,
                date=format_date(self.env, effective),
            )
        )

    def _apply_to_membership(self):
        for change in self:
            change.membership_id.write({"plan_id": change.new_plan_id.id, "contribution_amount": change.new_amount})
            change.state = "applied"

    def _coop_effective_date(self, today=None):
        """The day the change takes effect if confirmed ``today`` (SPEC 3.2)."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        membership = self.membership_id
        return self.date_effective or change_effective_date(
            self.direction, membership.commitment, today, membership.contract_id.coop_anchor_date
        )

    def _coop_adjustment_lines(self, effective, confirmed_on=None):
        """What confirming invoices at once, without writing anything: the open plan line
        of the contract, the values of the new one and the adjustment lines (the already
        invoiced periods beyond ``effective``, credited for the old plan and invoiced for
        the new one, pro rata by days; for an annual upgrade, the difference for the
        commitment year already covered, ``_coop_annual_upgrade_difference_vals``)."""
        self.ensure_one()
        membership = self.membership_id.sudo()
        contract = membership.contract_id
        old_line = contract._get_plan_lines().filtered(lambda line: not line.date_end or line.date_end >= effective)[
            -1:
        ]
        if not old_line:
            raise UserError(self.env._("No plan line of the contract is open on %s.", format_date(self.env, effective)))
        anchor = contract.coop_anchor_date
        months = old_line._coop_period_months()
        new_vals = contract._coop_plan_line_vals(self.new_plan_id, self.new_amount, effective)
        last = old_line.last_date_invoiced
        adjustment = []
        if last and last >= effective:
            currency = contract.currency_id
            for piece in split_by_period(anchor, months, effective, last):
                fraction = prorata_fraction(*piece)
                period_label = self.env._(
                    "from %(from)s to %(to)s",
                    **{"from": format_date(self.env, piece[0]), "to": format_date(self.env, piece[1])},
                )
                adjustment += [
                    {
                        "product_id": old_line.product_id.id,
                        "quantity": 1.0,
                        "contract_line_id": old_line.id,
                        "price_unit": -currency.round(old_line.price_unit * fraction),
                        "name": self.env._(
                            "Credit %(plan)s %(period)s", plan=old_line.coop_plan_id.name, period=period_label
                        ),
                        **contract._coop_contribution_income_vals(old_line.coop_plan_id),
                    },
                    {
                        "product_id": self.new_plan_id.product_id.id,
                        "quantity": 1.0,
                        "price_unit": currency.round(new_vals["price_unit"] * fraction),
                        "name": self.env._(
                            "Contribution %(plan)s %(period)s", plan=self.new_plan_id.name, period=period_label
                        ),
                        **contract._coop_contribution_income_vals(self.new_plan_id),
                    },
                ]
        adjustment += self._coop_annual_upgrade_difference_vals(old_line, new_vals, confirmed_on)
        return old_line, new_vals, adjustment

    def _coop_annual_upgrade_difference_vals(self, old_line, new_vals, confirmed_on=None):
        """Art. 4.4.2: an annual upgrade takes effect on the first day of the next
        commitment year, but the difference in cost between the new plan and the previous
        one for the period already covered by the contract, the commitment year in which
        it is confirmed (paid in advance at the previous plan's price), is invoiced on
        confirmation, whether or not the next year was already invoiced (the year itself
        is billed in advance on its first day, at the previous price). Nothing for a
        downgrade."""
        self.ensure_one()
        membership = self.membership_id.sudo()
        if membership.commitment != "annual" or self.direction != "upgrade":
            return []
        confirmed_on = confirmed_on or fields.Date.context_today(self)
        anchor = membership.contract_id.coop_anchor_date or old_line.date_start
        year_start, year_end = period_containing(anchor, 12, confirmed_on)
        if old_line.date_start > year_start or (old_line.date_end and old_line.date_end < year_end):
            return []  # the previous plan does not run the whole year (not an anniversary year)
        currency = membership.currency_id
        difference = currency.round(new_vals["price_unit"] - old_line.price_unit)
        if currency.compare_amounts(difference, 0.0) <= 0:
            return []
        return [
            {
                "product_id": self.new_plan_id.product_id.id,
                "quantity": 1.0,
                "contract_line_id": old_line.id,
                "price_unit": difference,
                "name": self.env._(
                    "Upgrade from %(old)s to %(new)s in force on %(effective)s: difference for the commitment year "
                    "already covered, from %(from)s to %(to)s (art. 4.4.2)",
                    old=old_line.coop_plan_id.name,
                    new=self.new_plan_id.name,
                    effective=format_date(self.env, year_end + relativedelta(days=1)),
                    **{"from": format_date(self.env, year_start), "to": format_date(self.env, year_end)},
                ),
                **membership.contract_id._coop_contribution_income_vals(self.new_plan_id),
            }
        ]

    def _coop_confirmation_preview(self):
        """What the member reads before confirming (issue 22): the date the change takes
        effect and the invoice (or credit note) that confirming issues today, taxes
        included, computed in memory as Odoo computes a draft invoice."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        effective = self._coop_effective_date(today)
        _old_line, _new_vals, adjustment = self._coop_adjustment_lines(effective, today)
        total = 0.0
        if adjustment:
            membership = self.membership_id.sudo()
            draft = (
                self.env["account.move"]
                .sudo()
                .new(
                    {
                        "move_type": "out_invoice",
                        "partner_id": membership.partner_id.id,
                        "company_id": membership.company_id.id,
                        "invoice_date": today,
                        "invoice_line_ids": [
                            Command.create({k: v for k, v in vals.items() if k != "contract_line_id"})
                            for vals in adjustment
                        ],
                    }
                )
            )
            total = sum(draft.invoice_line_ids.mapped("price_total"))
        return {
            "date_effective": effective,
            "date_invoice": today,
            "amount": abs(total),
            "is_credit_note": total < 0,
            "has_invoice": bool(adjustment) and not self.membership_id.currency_id.is_zero(total),
            "currency": self.membership_id.currency_id,
        }

    def _apply_to_contract(self):
        """End the current plan line the day before the effective date and start the new
        one; periods already invoiced beyond that date are credited for the old plan and
        invoiced for the new one, pro rata by days (no gap, no double billing)."""
        self.ensure_one()
        membership = self.membership_id.sudo()
        effective = self.date_effective
        contract = membership.contract_id
        old_line, new_vals, adjustment = self._coop_adjustment_lines(effective, self.date_confirmed)
        last = old_line.last_date_invoiced
        covered = last and last >= effective
        day_before = effective - relativedelta(days=1)
        # the successor link OCA ``contract`` 19.0 lacks: the new line follows the old one,
        # or the old one's predecessor when the old line never ran
        predecessor = old_line
        if old_line.date_start >= effective:
            predecessor = old_line if last else old_line.coop_predecessor_line_id
            if last:
                old_line.write({"date_end": last, "is_canceled": True})
            else:
                old_line.unlink()
        else:
            old_vals = {"date_end": day_before}
            if covered:
                old_vals["last_date_invoiced"] = day_before
            old_line.write(old_vals)
        if covered:
            new_vals["last_date_invoiced"] = last
        new_line = (
            self.env["contract.line"]
            .sudo()
            .create({**new_vals, "contract_id": contract.id, "coop_predecessor_line_id": predecessor.id})
        )
        for vals in adjustment:
            if vals.get("contract_line_id") is None or not old_line.exists():
                vals.pop("contract_line_id", None)
        if adjustment:
            total = sum(vals["price_unit"] for vals in adjustment)
            move_type = "out_invoice"
            if total < 0:
                move_type = "out_refund"
                for vals in adjustment:
                    vals["price_unit"] = -vals["price_unit"]
            for vals in adjustment:
                if "contract_line_id" not in vals:
                    vals["contract_line_id"] = new_line.id
            self.adjustment_move_id = self.env["account.move"]._coop_create_member_invoice(
                membership, "adjustment", adjustment, move_type=move_type
            )
        return new_line

    @api.model
    def _cron_apply_plan_changes(self):
        """Put confirmed changes in force on their effective date (the plan shown to the
        member and used for the margin of new work)."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative plan changes")
        changes = self.search(
            [
                ("state", "=", "confirmed"),
                ("date_effective", "<=", today),
                ("membership_id.company_id", "in", ready.ids),
            ]
        )
        applied = run_in_batches(
            changes,
            lambda change: change.state == "confirmed" and change._apply_to_membership(),
            lock=lambda change: change.membership_id,
        )
        return len(applied)
