from odoo import api, fields, models

from ..models.coop_rules import notice_end_date


class CoopMembershipNoticeWizard(models.TransientModel):
    _name = "coop.membership.notice.wizard"
    _description = "Notice of termination"

    membership_id = fields.Many2one("coop.membership", required=True)
    date_notice = fields.Date("Notice received on", required=True, default=fields.Date.context_today)
    given_by = fields.Selection([("member", "The member"), ("coop", "24PM")], required=True, default="member")
    date_end = fields.Date("The contract ends on", compute="_compute_date_end")

    @api.depends("membership_id", "date_notice")
    def _compute_date_end(self):
        for wizard in self:
            membership = wizard.membership_id
            regulation = membership.regulation_id
            wizard.date_end = wizard.date_notice and notice_end_date(
                wizard.date_notice,
                membership.commitment,
                membership.date_start or membership.date_registered or wizard.date_notice,
                monthly_months=regulation.notice_months_monthly,
                annual_months=regulation.notice_months_annual,
            )

    def action_confirm(self):
        self.ensure_one()
        self.membership_id.action_give_notice(self.date_notice, self.given_by)
        return {"type": "ir.actions.act_window_close"}
