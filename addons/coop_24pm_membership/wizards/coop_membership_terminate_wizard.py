from odoo import fields, models


class CoopMembershipTerminateWizard(models.TransientModel):
    _name = "coop.membership.terminate.wizard"
    _description = "Terminate a membership"

    membership_id = fields.Many2one("coop.membership", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    termination_type = fields.Selection(
        [("notice", "After notice"), ("fault", "For serious fault (art. 10)"), ("withdrawn", "Application withdrawn")],
        required=True,
        default="notice",
    )
    fault_party = fields.Selection([("member", "The member"), ("coop", "24PM")])
    fault_description = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.membership_id.action_terminate(self.date, self.termination_type, self.fault_party, self.fault_description)
        return {"type": "ir.actions.act_window_close"}
