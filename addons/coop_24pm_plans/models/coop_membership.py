from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare, format_amount, format_date

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches

from .coop_plan_rules import annual_price, prorata_amount, upgrade_gain


class CoopMembership(models.Model):
    _inherit = "coop.membership"

    plan_id = fields.Many2one(
        "coop.plan",
        "Plan",
        tracking=True,
        index=True,
        domain="[('regulation_id', '=', regulation_id)]",
        help="The plan in force today; a confirmed change updates it on its effective date.",
    )
    contribution_amount = fields.Monetary(
        "Monthly contribution",
        compute="_compute_contribution_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="Amount written on the contract (default from the plan); annual commitments pay 10 months for 12.",
    )
    contract_id = fields.Many2one("contract.contract", "Subscription contract", readonly=True, copy=False)
    next_contribution_date = fields.Date(compute="_compute_next_contribution_date", compute_sudo=True)
    trial_end_date = fields.Date("Trial ends on", readonly=True, copy=False, tracking=True)
    trial_done = fields.Boolean("Trial closed", readonly=True, copy=False)
    plan_change_ids = fields.One2many("coop.plan.change", "membership_id", "Plan changes")
    strategy_item_ids = fields.One2many("coop.strategy.item", "membership_id", "Strategic follow-up")
    strategist_id = fields.Many2one(
        "res.users",
        "Strategist",
        tracking=True,
        domain=[("share", "=", False)],
        help="Attends the strategic follow-up the member books (its Account Manager, else its Project Manager, "
        "when empty).",
    )
    upgrade_advice = fields.Text(compute="_compute_upgrade_advice", compute_sudo=True)

    @api.depends("plan_id")
    def _compute_contribution_amount(self):
        for membership in self:
            if not membership.contract_id or not membership.contribution_amount:
                membership.contribution_amount = membership.plan_id.monthly_fee

    @api.depends("contract_id.recurring_next_date")
    def _compute_next_contribution_date(self):
        for membership in self:
            membership.next_contribution_date = membership.contract_id.recurring_next_date

    def _compute_upgrade_advice(self):
        for membership in self:
            advice = membership._get_upgrade_advice()
            membership.upgrade_advice = advice["message"] if advice else False

    @api.constrains("plan_id")
    def _check_plan_regulation(self):
        """A plan is chosen among its regulation's plans. A later change of regulation
        (art. 11.1) keeps the plan in force until staff or the member change it."""
        for membership in self.filtered("plan_id"):
            membership.plan_id._coop_check_chosen_under(membership.regulation_id)

    @api.constrains("contribution_amount")
    def _check_contribution_amount(self):
        for membership in self:
            self.env["coop.plan"]._coop_check_contribution(membership.currency_id, membership.contribution_amount)

    # ------------------------------------------------------------------
    # subscription contract (OCA contract)
    # ------------------------------------------------------------------
    def action_activate(self):
        res = super().action_activate()
        self.filtered(lambda m: m.plan_id and not m.contract_id)._coop_create_contract()
        return res

    def _coop_period_price(self, monthly_fee):
        """Price of one billing period: a month, or 10 months for an annual commitment."""
        self.ensure_one()
        if self.commitment == "annual":
            return annual_price(monthly_fee, self.regulation_id.annual_discount_months)
        return monthly_fee

    @api.model
    def _coop_contract_line_vals_from_template(self, template_line, date_start):
        """Values of a contract line copied from a line of a plan's ``contract.template``
        (its product and recurrence), starting on ``date_start``."""
        vals = {
            "coop_kind": template_line.coop_kind,
            "product_id": template_line.product_id.id,
            "name": template_line.name,
            "quantity": template_line.quantity,
            "automatic_price": False,
            "price_unit": template_line.price_unit,
            "recurring_rule_type": template_line.recurring_rule_type,
            "recurring_interval": template_line.recurring_interval,
            "recurring_invoicing_type": template_line.recurring_invoicing_type,
            "date_start": date_start,
        }
        if template_line.uom_id:
            vals["uom_id"] = template_line.uom_id.id
        return vals

    def _coop_plan_line_vals(self, plan, monthly_fee, date_start):
        """The contract line of ``plan``: its template's contribution line, at the member's
        amount; an annual commitment is invoiced yearly (10 months for 12)."""
        self.ensure_one()
        vals = self._coop_contract_line_vals_from_template(plan._coop_template_line("plan"), date_start)
        vals.update(
            {
                "name": self.env._("Contribution %(plan)s", plan=plan.display_name),
                "price_unit": self._coop_period_price(monthly_fee),
                "coop_plan_id": plan.id,
                "coop_monthly_fee": monthly_fee,
            }
        )
        if self.commitment == "annual":
            vals.update({"recurring_rule_type": "yearly", "recurring_interval": 1})
        return vals

    def _coop_create_contract(self):
        """One contract per membership from its plan's ``contract.template``: the plan line,
        and the annual membership fee from the 2023 regime, invoiced on the anniversary
        date (SPEC 1, 3.1)."""
        for membership in self.filtered(lambda m: not m.contract_id):
            date_start = membership.date_start or fields.Date.context_today(membership)
            plan = membership.plan_id
            lines = [Command.create(membership._coop_plan_line_vals(plan, membership.contribution_amount, date_start))]
            regulation = membership.regulation_id
            if regulation.has_annual_fee and regulation.annual_fee_amount:
                fee_vals = membership._coop_contract_line_vals_from_template(
                    plan._coop_template_line("annual_fee"), date_start
                )
                fee_vals.update(
                    {"name": self.env._("Annual membership fee"), "price_unit": regulation.annual_fee_amount}
                )
                lines.append(Command.create(fee_vals))
            contract = (
                self.env["contract.contract"]
                .sudo()
                .create(
                    {
                        "name": self.env._("%(ref)s - support plan", ref=membership.name),
                        "partner_id": membership.partner_id.id,
                        "company_id": membership.company_id.id,
                        "contract_type": "sale",
                        "line_recurrence": True,
                        "date_start": date_start,
                        "coop_membership_id": membership.id,
                        "coop_anchor_date": date_start,
                        "contract_template_id": plan.sudo().contract_template_id.id,
                        "contract_line_ids": lines,
                    }
                )
            )
            vals = {"contract_id": contract.id, "date_start": date_start}
            if membership.plan_id.trial_months:
                vals["trial_end_date"] = date_start + relativedelta(months=membership.plan_id.trial_months, days=-1)
            membership.write(vals)

    def _get_plan_lines(self):
        self.ensure_one()
        return (
            self.contract_id.sudo()
            .contract_line_ids.filtered(lambda line: line.coop_kind == "plan" and not line.is_canceled)
            .sorted("date_start")
        )

    def _get_plan_line(self, on_date=None):
        """The contract's plan line in force on ``on_date``."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        lines = self._get_plan_lines().filtered(
            lambda line: line.date_start <= on_date and (not line.date_end or line.date_end >= on_date)
        )
        return lines[-1:]

    def _get_plan_on(self, on_date=None):
        self.ensure_one()
        line = self._get_plan_line(on_date)
        return line.coop_plan_id if line else self.plan_id

    def _get_monthly_contribution(self):
        """The contribution written on the contract for the plan in force today."""
        self.ensure_one()
        line = self._get_plan_line()
        if line:
            return line.coop_monthly_fee
        return self.contribution_amount if self.plan_id else super()._get_monthly_contribution()

    def _get_plan_margin(self, on_date=None):
        """Margin of the plan in force on ``on_date`` (follows plan changes by date)."""
        self.ensure_one()
        plan = self._get_plan_on(on_date)
        return plan.margin if plan else super()._get_plan_margin(on_date)

    # ------------------------------------------------------------------
    # termination (art. 10)
    # ------------------------------------------------------------------
    def _coop_on_terminate(self):
        """Art. 10: book the fault indemnity first, whichever party is at fault (SPEC 7.1): an
        invoice to the member at fault, so that whatever settles the sums due at termination
        (the guarantee draw) sees it; a credit note 24PM pays out when 24PM is at fault.
        Then stop the subscription."""
        product = self.env.ref("coop_24pm_plans.product_fault_indemnity")
        for membership in self:
            end = membership.termination_id
            if end.termination_type == "fault" and end.fault_indemnity_amount > 0:
                membership._coop_create_invoice(
                    "indemnity",
                    [
                        {
                            "product_id": product.id,
                            "name": self.env._(
                                "Fixed indemnity for termination for serious fault (art. 10): %s",
                                end.fault_description or "",
                            )
                            if end.fault_party == "member"
                            else self.env._(
                                "Fixed indemnity owed by 24PM for termination for its serious fault (art. 10): %s",
                                end.fault_description or "",
                            ),
                            "quantity": 1.0,
                            "price_unit": end.fault_indemnity_amount,
                            # compensation, outside the scope of VAT (SPEC 7.6): VAT category O
                            "tax_ids": [Command.set(membership.company_id._coop_get_outside_vat_tax().ids)],
                        }
                    ],
                    date=end.date_terminated,
                    move_type="out_invoice" if end.fault_party == "member" else "out_refund",
                )
            if membership.date_registered:
                membership._coop_settle_contribution(membership.date_end or end.date_terminated)
            else:
                membership._coop_close_contract(membership.date_end or end.date_terminated)
            membership.plan_change_ids.filtered(lambda c: c.state == "requested").write({"state": "cancelled"})
        return super()._coop_on_terminate()

    def action_give_notice(self, date_notice=None, given_by="member", date_end=None):
        """SPEC 7.4: in notice the contribution runs until the end date, not after."""
        res = super().action_give_notice(date_notice=date_notice, given_by=given_by, date_end=date_end)
        for membership in self.filtered(lambda m: m.contract_id and m.date_end):
            membership._coop_close_contract(membership.date_end)
        return res

    def _coop_notice_delivery_changed(self, notice):
        """24PM's notice fixes the end date when it reaches the member (SPEC 7.3): the
        contribution then stops at that end date, as for a notice given by the member."""
        res = super()._coop_notice_delivery_changed(notice)
        if notice.kind == "notice" and self.state == "notice" and self.date_end and self.contract_id:
            self._coop_close_contract(self.date_end)
        return res

    def _coop_close_contract(self, date_end):
        """Stop the contribution invoicing after ``date_end`` (never before what is invoiced)."""
        self.ensure_one()
        for line in self.contract_id.sudo().contract_line_ids.filtered(lambda line: not line.display_type):
            if line.date_end and line.date_end <= date_end:
                continue
            if line.date_start > date_end:
                if line.last_date_invoiced:
                    line.write({"is_canceled": True})
                else:
                    line.unlink()
                continue
            line.write({"date_end": max(date_end, line.last_date_invoiced or date_end)})

    def _coop_settle_contribution(self, date_end):
        """SPEC 7.4: the contribution runs until the end date, the last period pro rata.
        Invoice what the contract has not invoiced up to ``date_end`` (OCA ``contract``,
        its last period cut at the end date and billed pro rata by days), then credit what
        was invoiced in advance beyond it, pro rata by days of its period. Idempotent: the
        contract then reads invoiced until ``date_end`` and has nothing left to bill.
        Returns the invoices and credit notes issued."""
        self.ensure_one()
        moves = self.env["account.move"]
        contract = self.contract_id.sudo()
        if not contract:
            return moves
        self._coop_close_contract(date_end)
        # what is due up to the end date and not invoiced yet, one period per pass
        for _period in range(36):
            due = contract.contract_line_ids.filtered(
                lambda line: (
                    not line.display_type
                    and not line.is_canceled
                    and line.recurring_next_date
                    and line.recurring_next_date <= date_end
                    and (not line.last_date_invoiced or line.last_date_invoiced < (line.date_end or date_end))
                )
            )
            if not due:
                break
            invoices = contract._recurring_create_invoice(date_ref=date_end)
            if not invoices:
                break
            moves |= invoices
        # what was invoiced in advance beyond the end date (the plan lines, paid per period)
        credit_vals = []
        lang = self.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        for line in contract.contract_line_ids.filtered(
            lambda line: (
                line.coop_kind == "plan"
                and not line.is_canceled
                and line.last_date_invoiced
                and line.last_date_invoiced > date_end
                and line.date_start <= date_end
            )
        ):
            date_from = date_end + relativedelta(days=1)
            date_to = line.last_date_invoiced
            amount = prorata_amount(
                line.price_unit,
                contract.coop_anchor_date or line.date_start,
                line._coop_period_months() or 1,
                date_from,
                date_to,
                rounding=self.currency_id.rounding,
            )
            line.write({"date_end": date_end, "last_date_invoiced": date_end})
            if float_compare(amount, 0.0, precision_rounding=self.currency_id.rounding) <= 0:
                continue
            credit_vals.append(
                {
                    "product_id": line.product_id.id,
                    "name": env._(
                        "%(name)s - not due after the end of the contract on %(end)s: %(from)s to %(to)s, pro rata",
                        name=line.name,
                        end=format_date(env, date_end, lang_code=lang),
                        **{
                            "from": format_date(env, date_from, lang_code=lang),
                            "to": format_date(env, date_to, lang_code=lang),
                        },
                    ),
                    "quantity": 1.0,
                    "price_unit": amount,
                    **self._coop_contribution_income_vals(line.coop_plan_id),
                }
            )
        if credit_vals:
            moves |= self._coop_create_invoice("contribution", credit_vals, date=date_end, move_type="out_refund")
        return moves

    def _coop_contribution_income_vals(self, plan):
        """Invoice line values of a contribution of ``plan``: the plan's contribution
        income account, the plan and the kind (management report)."""
        self.ensure_one()
        if not plan:
            return {}
        return {
            "account_id": plan._coop_get_income_account("contribution_account_id", self.company_id).id,
            "coop_plan_id": plan.id,
            "coop_line_kind": "contribution",
        }

    def _coop_create_invoice(self, kind, lines, date=None, move_type="out_invoice"):
        """Create and post an invoice of the member (indemnity, adjustment, offers...), or a
        credit note 24PM pays out (``out_refund``: the indemnity when 24PM is at fault)."""
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "sale")], limit=1
        )
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "journal_id": journal.id,
                    "invoice_date": date or fields.Date.context_today(self),
                    "invoice_origin": self.name,
                    "coop_membership_id": self.id,
                    "coop_invoice_kind": kind,
                    "coop_pays_out": move_type == "out_refund",
                    "invoice_line_ids": [Command.create(vals) for vals in lines],
                }
            )
        )
        move._coop_post()
        return move

    # ------------------------------------------------------------------
    # scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _coop_demo_contributions(self):
        """Demo data only: invoice the contributions of the demo subscriptions month by
        month since they started, as the contract job would have done."""
        Contract = self.env["contract.contract"]
        today = fields.Date.context_today(self)
        contracts = Contract.search([("contract_type", "=", "sale")])
        day = min(contracts.mapped("date_start"), default=today)
        while day <= today:
            Contract.cron_recurring_create_invoice(day)
            day += relativedelta(months=1)

    @api.model
    def _cron_end_trials(self):
        """Partenaire 2021: at the end of the 6-month trial the member moves to the fallback
        plan (Standard) the day after, unless 24PM took equity in its company."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative end of trials")
        memberships = self.search(
            Domain("company_id", "in", ready.ids)
            & self._coop_state_domain("member")
            & Domain("trial_end_date", "<", today)
            & Domain("trial_done", "=", False)
            & Domain("contract_id", "!=", False)
        )
        stakes = self.env["coop.equity.stake"].search(
            [("partner_id", "in", memberships.partner_id.ids), ("state", "=", "held")]
        )

        def end_trial(membership):
            if membership.trial_done:
                return
            plan = membership._get_plan_on(membership.trial_end_date)
            if stakes.filtered(lambda s, m=membership: s.partner_id == m.partner_id and s.date <= m.trial_end_date):
                membership.write({"trial_done": True})
                membership.message_post(
                    body=self.env._("Trial ended: 24PM holds equity, the plan %s continues.", plan.display_name)
                )
                return
            fallback = plan.trial_fallback_plan_id
            if not fallback:
                membership.write({"trial_done": True})
                return
            change = self.env["coop.plan.change"].create(
                {
                    "membership_id": membership.id,
                    "new_plan_id": fallback.id,
                    "origin": "trial",
                }
            )
            change._do_confirm(effective=membership.trial_end_date + relativedelta(days=1))
            membership.write({"trial_done": True})

        return len(run_in_batches(memberships, end_trial))

    # ------------------------------------------------------------------
    # upgrade advice (SPEC 3.3)
    # ------------------------------------------------------------------
    def _get_billed_consumption(self, date_from, date_to):
        """Service work billed to the member between the dates (untaxed, credit notes
        deducted): the lines of service products (timesheets, expenses and their margin).
        Never contributions, calls for funds (B share, guarantee), prepayments, fees or
        other lines without a service product (SPEC 3.3)."""
        self.ensure_one()
        consumption = self.env["account.move"]._coop_consumption_domain()
        domain = Domain("move_id", "any", consumption) & Domain(
            [
                ("move_id.partner_id", "child_of", self.partner_id.commercial_partner_id.id),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("move_id.invoice_date", ">=", date_from),
                ("move_id.invoice_date", "<=", date_to),
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("product_id.type", "=", "service"),
            ]
        )
        balance = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                domain,
                [],
                ["balance:sum"],
            )[0][0]
        )
        return self.currency_id.round(-(balance or 0.0))

    def _get_upgrade_advice(self, on_date=None):
        """From the consumption billed over the regulation's ``upgrade_advice_months`` (3),
        the higher plan that would have cost less (fee difference against margin saved),
        with the yearly saving (SPEC 3.3)."""
        self.ensure_one()
        if not self.is_member or not self.plan_id:
            return False
        months = self.regulation_id.upgrade_advice_months
        on_date = on_date or fields.Date.context_today(self)
        date_from = on_date - relativedelta(months=months)
        current_plan = self._get_plan_on(on_date)
        consumption = self._get_billed_consumption(date_from, on_date)
        if float_compare(consumption, 0.0, precision_rounding=self.currency_id.rounding) <= 0:
            return False
        current_fee = self._get_monthly_contribution()
        best = False
        for plan in current_plan._get_higher_plans():
            gain = self.currency_id.round(
                upgrade_gain(consumption, current_plan.margin, current_fee, plan.margin, plan.monthly_fee, months)
            )
            if float_compare(gain, 0.0, precision_rounding=self.currency_id.rounding) > 0 and (
                not best or gain > best["gain"]
            ):
                best = {"plan": plan, "gain": gain}
        if not best:
            return False
        best["yearly_saving"] = self.currency_id.round(best["gain"] * 12 / months)
        best["message"] = self.env._(
            "Upgrading to the %(plan)s plan is in your financial interest: with the services billed over the "
            "last %(months)s months, you would save about %(amount)s a year.",
            plan=best["plan"].name,
            months=months,
            amount=format_amount(self.env, best["yearly_saving"], self.currency_id),
        )
        return best

    # ------------------------------------------------------------------
    # strategic follow-up quota
    # ------------------------------------------------------------------
    def _get_meeting_quota_status(self, on_date=None):
        """Meetings included in the plan for the quota period of ``on_date``, used and left."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        plan = self._get_plan_on(on_date)
        start, end = self.env["coop.strategy.item"]._quota_period(plan, on_date)
        used = len(self.strategy_item_ids.filtered(lambda i: i.kind == "meeting" and start <= i.date <= end))
        quota = plan.meeting_quota
        return {
            "plan": plan,
            "unlimited": plan.meetings_unlimited,
            "quota": quota,
            "used": used,
            "left": max(quota - used, 0),
            "date_from": start,
            "date_to": end,
        }

    def _coop_strategist(self):
        """Who attends the strategic follow-up the member books."""
        self.ensure_one()
        return self.strategist_id or self.am_id or self.pm_id or self.env.ref("base.user_admin")

    def _coop_strategy_event(self, title, start, hours, topic):
        """The calendar event of a booked follow-up: the member's projects agents and its
        strategist attend."""
        self.ensure_one()
        strategist = self._coop_strategist()
        agents = self.partner_id._coop_recipients("projects").filtered("user_ids")
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": f"{title} - {self.partner_id.name}",
                    "start": start,
                    "stop": start + relativedelta(minutes=round(hours * 60)),
                    "user_id": strategist.id,
                    "partner_ids": [Command.set((agents | strategist.partner_id).ids)],
                    "description": topic,
                    "privacy": "confidential",
                }
            )
        )

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def action_view_contract(self):
        self.ensure_one()
        if not self.contract_id:
            raise UserError(
                self.env._("This membership has no subscription contract yet: it is created at activation.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "contract.contract",
            "res_id": self.contract_id.id,
            "view_mode": "form",
            "views": [(self.env.ref("contract.contract_contract_customer_form_view").id, "form")],
        }

    def action_view_contribution_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("coop_membership_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_request_plan_change(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.plan.change",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Change plan"),
            "context": {"default_membership_id": self.id, "default_origin": "staff"},
        }
