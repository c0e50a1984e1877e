from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare, format_amount

from .coop_plan_rules import upgrade_gain


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
    plan_change_ids = fields.One2many("coop.plan.change", "membership_id", "Plan changes")
    strategy_item_ids = fields.One2many("coop.strategy.item", "membership_id", "Strategic follow-up")

    @api.depends("plan_id")
    def _compute_contribution_amount(self):
        for membership in self:
            if not membership.contract_id or not membership.contribution_amount:
                membership.contribution_amount = membership.plan_id.monthly_fee

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
        self.env["contract.contract"]._coop_create_contract(self.filtered(lambda m: m.plan_id and not m.contract_id))
        return res

    def _get_plan_on(self, on_date=None):
        """The plan in force on ``on_date``, as the subscription contract states it."""
        self.ensure_one()
        return self.contract_id.sudo()._get_plan_on(on_date) if self.contract_id else self.plan_id

    def _get_monthly_contribution(self):
        self.ensure_one()
        if self.contract_id:
            return self.contract_id.sudo()._get_monthly_contribution()
        return self.contribution_amount if self.plan_id else super()._get_monthly_contribution()

    def _get_plan_margin(self, on_date=None):
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
                self.env["account.move"]._coop_create_member_invoice(
                    membership,
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
                membership.contract_id._coop_settle_contribution(membership.date_end or end.date_terminated)
            else:
                membership.contract_id._coop_close_contract(membership.date_end or end.date_terminated)
            membership.plan_change_ids.filtered(lambda c: c.state == "requested").write({"state": "cancelled"})
        return super()._coop_on_terminate()

    def action_give_notice(self, date_notice=None, given_by="member", date_end=None):
        """SPEC 7.4: in notice the contribution runs until the end date, not after."""
        res = super().action_give_notice(date_notice=date_notice, given_by=given_by, date_end=date_end)
        for membership in self.filtered(lambda m: m.contract_id and m.date_end):
            membership.contract_id._coop_close_contract(membership.date_end)
        return res

    def _coop_notice_delivery_changed(self, notice):
        """24PM's notice fixes the end date when it reaches the member (SPEC 7.3): the
        contribution then stops at that end date, as for a notice given by the member."""
        res = super()._coop_notice_delivery_changed(notice)
        if notice.kind == "notice" and self.state == "notice" and self.date_end and self.contract_id:
            self.contract_id._coop_close_contract(self.date_end)
        return res

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
