from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare, format_date

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches

from .coop_plan_rules import prorata_amount


class ContractContract(models.Model):
    """The plan subscription of a member is an OCA contract (SPEC 3.1): one line per plan
    period, billed on periods anchored on the contract's anniversary date. It is created
    from the plan's ``contract.template``, states the plan in force on each date, holds
    the Partenaire trial and is closed and settled at the end of the membership."""

    _inherit = "contract.contract"

    coop_membership_id = fields.Many2one("coop.membership", "Membership", index=True, readonly=True, copy=False)
    coop_anchor_date = fields.Date(
        "Anniversary date",
        copy=False,
        help="Billing periods start on this date's day of the month (monthly) or anniversary (annual).",
    )
    coop_trial_end_date = fields.Date("Trial ends on", readonly=True, copy=False, tracking=True)
    coop_trial_done = fields.Boolean("Trial closed", readonly=True, copy=False)
    coop_strategist_id = fields.Many2one(
        "res.users",
        "Strategist",
        tracking=True,
        domain=[("share", "=", False)],
        help="Attends the strategic follow-up the member books (its Account Manager, else its Project Manager, "
        "when empty).",
    )
    coop_upgrade_advice = fields.Text("Upgrade advice", compute="_compute_coop_upgrade_advice", compute_sudo=True)

    def _compute_coop_upgrade_advice(self):
        """SPEC 3.3: the member's advice to upgrade today (``coop.plan._coop_get_upgrade_advice``)."""
        for contract in self:
            membership = contract.coop_membership_id
            advice = self.env["coop.plan"]._coop_get_upgrade_advice(membership) if membership else False
            contract.coop_upgrade_advice = advice["message"] if advice else False

    @api.model
    def _coop_action_of(self, membership):
        """The form of ``membership``'s subscription (its smart button); refused before its activation."""
        membership.ensure_one()
        if not membership.contract_id:
            raise UserError(
                self.env._("This membership has no subscription contract yet: it is created at activation.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "contract.contract",
            "res_id": membership.contract_id.id,
            "view_mode": "form",
            "views": [(self.env.ref("contract.contract_contract_customer_form_view").id, "form")],
        }

    def _prepare_invoice(self, date_invoice, journal=None):
        vals = super()._prepare_invoice(date_invoice, journal=journal)
        if self.coop_membership_id:
            vals.update(
                {
                    "coop_membership_id": self.coop_membership_id.id,
                    "coop_invoice_kind": "contribution_annual"
                    if self.coop_membership_id.commitment == "annual"
                    else "contribution",
                }
            )
        return vals

    def _recurring_create_invoice(self, date_ref=False):
        """Contribution invoices are posted at once: every money movement is a posted entry."""
        moves = super()._recurring_create_invoice(date_ref=date_ref)
        moves.filtered(lambda m: m.coop_membership_id and m.state == "draft")._coop_post()
        return moves

    @api.model
    def _cron_recurring_create(self, date_ref=False, create_type="invoice"):
        """Contributions are posted at once: the scheduled run leaves out the members'
        contracts of a company whose Cooperative configuration is incomplete."""
        contracts = self.with_context(coop_invoicing_cron=True) if create_type == "invoice" else self
        # super() of the recordset with the context
        return super(ContractContract, contracts)._cron_recurring_create(  # noqa: UP008
            date_ref=date_ref, create_type=create_type
        )

    def _get_contracts_to_invoice_domain(self, date_ref=None):
        domain = Domain(super()._get_contracts_to_invoice_domain(date_ref))
        # SPEC 7.4 "contribution invoices": in every state; the contract's own end (set at notice and termination)
        if self.env.context.get("coop_invoicing_cron"):
            # every company: the scheduled action invoices the contracts of all of them
            companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
            ready = self.env["res.company"]._coop_ready_companies("Cooperative contribution invoicing", companies)
            not_ready = companies - ready
            if not_ready:
                domain &= Domain("coop_membership_id", "=", False) | Domain("company_id", "not in", not_ready.ids)
        return Domain(domain)

    # ------------------------------------------------------------------
    # the member's subscription, from its plan's contract template
    # ------------------------------------------------------------------
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
        membership = self.coop_membership_id
        vals = self._coop_contract_line_vals_from_template(plan._coop_template_line("plan"), date_start)
        vals.update(
            {
                "name": self.env._("Contribution %(plan)s", plan=plan.display_name),
                "price_unit": membership.regulation_id._coop_period_price(monthly_fee, membership.commitment),
                "coop_plan_id": plan.id,
                "coop_monthly_fee": monthly_fee,
            }
        )
        if membership.commitment == "annual":
            vals.update({"recurring_rule_type": "yearly", "recurring_interval": 1})
        return vals

    @api.model
    def _coop_create_contract(self, memberships):
        """One contract per membership from its plan's ``contract.template``: the plan line,
        and the annual membership fee from the 2023 regime, invoiced on the anniversary
        date (SPEC 1, 3.1); a plan with a trial (Partenaire 2021) starts it. ``memberships``:
        records, or their ids (data files)."""
        if not isinstance(memberships, models.BaseModel):
            memberships = self.env["coop.membership"].browse(memberships)
        for membership in memberships.filtered(lambda m: not m.contract_id):
            date_start = membership.date_start or fields.Date.context_today(membership)
            plan = membership.plan_id
            vals = {
                "name": self.env._("%(ref)s - support plan", ref=membership.name),
                "partner_id": membership.partner_id.id,
                "company_id": membership.company_id.id,
                "contract_type": "sale",
                "line_recurrence": True,
                "date_start": date_start,
                "coop_membership_id": membership.id,
                "coop_anchor_date": date_start,
                "contract_template_id": plan.sudo().contract_template_id.id,
            }
            if plan.trial_months:
                vals["coop_trial_end_date"] = date_start + relativedelta(months=plan.trial_months, days=-1)
            contract = self.sudo().create(vals)
            lines = [Command.create(contract._coop_plan_line_vals(plan, membership.contribution_amount, date_start))]
            regulation = membership.regulation_id
            if regulation.has_annual_fee and regulation.annual_fee_amount:
                fee_line = plan._coop_template_line("annual_fee")
                fee_vals = self._coop_contract_line_vals_from_template(fee_line, date_start)
                fee_vals.update(
                    {"name": self.env._("Annual membership fee"), "price_unit": regulation.annual_fee_amount}
                )
                lines.append(Command.create(fee_vals))
            contract.contract_line_ids = lines
            membership.write({"contract_id": contract.id, "date_start": date_start})

    # ------------------------------------------------------------------
    # the plan in force
    # ------------------------------------------------------------------
    def _get_plan_lines(self):
        return (
            self.sudo()
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
        """The plan in force on ``on_date``: its line's, else the membership's plan."""
        self.ensure_one()
        line = self._get_plan_line(on_date)
        return line.coop_plan_id if line else self.coop_membership_id.plan_id

    def _get_monthly_contribution(self):
        """The contribution written on the contract for the plan in force today."""
        self.ensure_one()
        line = self._get_plan_line()
        if line:
            return line.coop_monthly_fee
        membership = self.coop_membership_id
        return membership.contribution_amount if membership.plan_id else 0.0

    # ------------------------------------------------------------------
    # the end of the membership (SPEC 7.4)
    # ------------------------------------------------------------------
    def _coop_end_subscription(self):
        """SPEC 7.4: at the end of the membership the contribution stops at its end date: a
        registered member's contract is settled to it, an application's is closed."""
        for contract in self:
            membership = contract.sudo().coop_membership_id
            date_end = membership.date_end or membership.termination_id.date_terminated
            if membership.date_registered:
                contract._coop_settle_contribution(date_end)
            else:
                contract._coop_close_contract(date_end)

    def _coop_close_at_notice_end(self):
        """SPEC 7.3, 7.4: under notice the contribution runs until the member's end date, not after."""
        for contract in self:
            date_end = contract.sudo().coop_membership_id.date_end
            if date_end:
                contract._coop_close_contract(date_end)

    def _coop_close_contract(self, date_end):
        """Stop the contribution invoicing after ``date_end`` (never before what is invoiced)."""
        for line in self.sudo().contract_line_ids.filtered(lambda line: not line.display_type):
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
        Returns the invoices and credit notes issued (none without a contract)."""
        moves = self.env["account.move"]
        if not self:
            return moves
        self.ensure_one()
        contract = self.sudo()
        membership = contract.coop_membership_id
        contract._coop_close_contract(date_end)
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
        currency = membership.currency_id
        lang = membership.partner_id.lang or self.env.lang
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
                rounding=currency.rounding,
            )
            line.write({"date_end": date_end, "last_date_invoiced": date_end})
            if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
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
                    **contract._coop_contribution_income_vals(line.coop_plan_id),
                }
            )
        if credit_vals:
            moves |= self.env["account.move"]._coop_create_member_invoice(
                membership, "contribution", credit_vals, date=date_end, move_type="out_refund"
            )
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

    # ------------------------------------------------------------------
    # the Partenaire trial
    # ------------------------------------------------------------------
    @api.model
    def _cron_end_trials(self):
        """Partenaire 2021: at the end of the 6-month trial the member moves to the fallback
        plan (Standard) the day after, unless 24PM took equity in its company."""
        today = fields.Date.context_today(self)
        ready = self.env["res.company"]._coop_ready_companies("Cooperative end of trials")
        contracts = self.search(
            Domain("coop_membership_id.company_id", "in", ready.ids)
            & self.env["coop.membership"]._coop_state_domain("member", "coop_membership_id")
            & Domain("coop_trial_end_date", "<", today)
            & Domain("coop_trial_done", "=", False)
        )
        stakes = self.env["coop.equity.stake"].search(
            [("partner_id", "in", contracts.coop_membership_id.partner_id.ids), ("state", "=", "held")]
        )

        def end_trial(contract):
            if contract.coop_trial_done:
                return
            membership = contract.coop_membership_id
            plan = contract._get_plan_on(contract.coop_trial_end_date)
            if stakes.filtered(
                lambda s, m=membership, c=contract: s.partner_id == m.partner_id and s.date <= c.coop_trial_end_date
            ):
                contract.write({"coop_trial_done": True})
                membership.message_post(
                    body=self.env._("Trial ended: 24PM holds equity, the plan %s continues.", plan.display_name)
                )
                return
            fallback = plan.trial_fallback_plan_id
            if not fallback:
                contract.write({"coop_trial_done": True})
                return
            change = self.env["coop.plan.change"].create(
                {
                    "membership_id": membership.id,
                    "new_plan_id": fallback.id,
                    "origin": "trial",
                }
            )
            change._do_confirm(effective=contract.coop_trial_end_date + relativedelta(days=1))
            contract.write({"coop_trial_done": True})

        return len(run_in_batches(contracts, end_trial))

    @api.model
    def _coop_demo_contributions(self):
        """Demo data only: invoice the contributions of the demo subscriptions month by
        month since they started, as the contract job would have done."""
        today = fields.Date.context_today(self)
        contracts = self.search([("contract_type", "=", "sale")])
        day = min(contracts.mapped("date_start"), default=today)
        while day <= today:
            self.cron_recurring_create_invoice(day)
            day += relativedelta(months=1)
