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


class ResPartnerAgent(models.Model):
    _inherit = "res.partner"

    @api.model
    def _coop_create_agent(
        self,
        company,
        name,
        email,
        finance=True,
        projects=True,
        agents=False,
        limits=False,
        password=None,
        limit_amount=0.0,
        granter=None,
        mandate=None,
    ):
        """Create the contact and its portal user; returns the user. ``granter``: the
        agent who gives the mandate from the portal (art. 4.6: within its own mandate;
        the company's agents are told); ``mandate``: other addons' limits (projects)."""
        if isinstance(company, int):
            company = self.browse(company)
        email = (email or "").strip().lower()
        if not email or "@" not in email:
            raise UserError(self.env._("Give the agent's e-mail address: it is their login."))
        mandate = dict(
            mandate or {},
            finance=finance,
            projects=projects,
            agents=agents,
            limit_amount=limit_amount or 0.0,
            limits=limits or "",
        )
        if granter:
            granter._coop_check_grant(mandate, company)
        self._coop_check_mandate_rights(mandate)
        existing = self.env["res.users"].sudo().with_context(active_test=False).search([("login", "=", email)])
        if existing.partner_id.commercial_partner_id == company.commercial_partner_id and existing.active:
            # a second click on the form: the first one gave the mandate
            raise UserError(
                self.env._(
                    "%(name)s is already an agent of %(company)s.",
                    name=existing.name,
                    company=company.commercial_partner_id.name,
                )
            )
        if existing:
            raise UserError(self.env._("A user with the login %s already exists.", email))
        contact = self.sudo().create(
            {
                "name": name,
                "email": email,
                "parent_id": company.commercial_partner_id.id,
                "type": "contact",
                **self._coop_mandate_write_vals(mandate),
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
        user = (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=not password and self.env.context.get("no_reset_password", False))
            .create(vals)
        )
        if granter:
            contact._coop_agent_created(granter)
        return user
