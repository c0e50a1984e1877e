from odoo import api, fields, models


class CoopMembership(models.Model):
    _inherit = "coop.membership"

    # the plan and the contribution are the contract's terms (coop.membership.contract.mixin)
    plan_id = fields.Many2one(
        index=True, help="The plan in force today; a confirmed change updates it on its effective date."
    )
    contract_id = fields.Many2one("contract.contract", "Subscription contract", readonly=True, copy=False)

    @api.depends("plan_id")
    def _compute_contribution_amount(self):
        """The plan's fee until the subscription contract states the amount."""
        for membership in self:
            if not membership.contract_id or not membership.contribution_amount:
                membership.contribution_amount = membership.plan_id.monthly_fee

    @api.constrains("plan_id")
    def _check_plan_regulation(self):
        """A plan is chosen among its regulation's plans. A later change of regulation
        (art. 11.1) keeps the plan in force until staff or the member change it."""
        for membership in self.filtered("plan_id"):
            membership.plan_id._coop_check_chosen_under(membership.regulation_id)

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
    # termination (art. 10, SPEC 7.4): hooks of the membership's end
    # ------------------------------------------------------------------
    def _coop_on_terminate(self):
        """Art. 10: the fault indemnity first (the guarantee draw must see it), then the
        subscription stops and the plan changes still requested are cancelled."""
        self.termination_id._coop_book_fault_indemnity()
        self.contract_id._coop_end_subscription()
        self.env["coop.plan.change"]._coop_cancel_requested(self)
        return super()._coop_on_terminate()

    def action_give_notice(self, date_notice=None, given_by="member", date_end=None):
        """SPEC 7.4: in notice the contribution runs until the end date, not after."""
        res = super().action_give_notice(date_notice=date_notice, given_by=given_by, date_end=date_end)
        self.contract_id._coop_close_at_notice_end()
        return res

    def _coop_notice_delivery_changed(self, notice):
        """24PM's notice fixes the end date when it reaches the member (SPEC 7.3): the
        contribution then stops at that end date, as for a notice given by the member."""
        res = super()._coop_notice_delivery_changed(notice)
        if notice.kind == "notice" and self.state == "notice":
            self.contract_id._coop_close_at_notice_end()
        return res

    def action_view_contract(self):
        return self.env["contract.contract"]._coop_action_of(self)
