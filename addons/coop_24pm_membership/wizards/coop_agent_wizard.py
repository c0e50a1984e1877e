from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
        )
        return {"type": "ir.actions.act_window_close"}


class ResPartnerAgent(models.Model):
    _inherit = "res.partner"

    @api.model
    def _coop_create_agent(
        self, company, name, email, finance=True, projects=True, agents=False, limits=False, password=None
    ):
        """Create the contact and its portal user; returns the user."""
        if isinstance(company, int):
            company = self.browse(company)
        email = (email or "").strip().lower()
        if not email or "@" not in email:
            raise UserError(self.env._("Give the agent's e-mail address: it is their login."))
        if not (finance or projects):
            raise UserError(self.env._("An agent has at least the finance or the projects right."))
        if self.env["res.users"].sudo().with_context(active_test=False).search_count([("login", "=", email)]):
            raise UserError(self.env._("A user with the login %s already exists.", email))
        contact = self.sudo().create(
            {
                "name": name,
                "email": email,
                "parent_id": company.commercial_partner_id.id,
                "type": "contact",
                "coop_right_finance": finance,
                "coop_right_projects": projects,
                "coop_right_agents": agents,
                "coop_agent_limits": limits or False,
                "lang": company.lang or self.env.lang,
            }
        )
        vals = {
            "login": email,
            "partner_id": contact.id,
            "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
        }
        if password:
            vals["password"] = password
        return (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=not password and self.env.context.get("no_reset_password", False))
            .create(vals)
        )
