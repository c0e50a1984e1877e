from odoo import fields, models


class CoopAgentWizard(models.TransientModel):
    """Art. 4.6: creating the portal user of a representative *is* the mandate."""

    _name = "coop.agent.wizard"
    _description = "Create a member's agent"

    membership_id = fields.Many2one("coop.membership", required=True)
    name = fields.Char(required=True)
    email = fields.Char(required=True)
    right_finance = fields.Boolean("Finance", default=True)
    right_projects = fields.Boolean("Projects", default=True)
    right_agents = fields.Boolean("Manage agents")
    limit_amount = fields.Float("Amount limit per request", help="0 = no limit.")
    limits = fields.Text("Limits of the mandate")

    def action_confirm(self):
        self.ensure_one()
        self.env["res.partner"]._coop_create_agent(
            self.membership_id.partner_id,
            self.name,
            self.email,
            finance=self.right_finance,
            projects=self.right_projects,
            agents=self.right_agents,
            limits=self.limits,
            limit_amount=self.limit_amount,
        )
        return {"type": "ir.actions.act_window_close"}
