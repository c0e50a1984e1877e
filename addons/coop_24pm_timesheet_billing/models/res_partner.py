from odoo import Command, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    coop_allowed_project_ids = fields.Many2many(
        "project.project",
        "coop_agent_project_rel",
        "partner_id",
        "project_id",
        "Projects of the mandate",
        domain="[('coop_membership_id.partner_id', '=', commercial_partner_id)]",
        help="Art. 4.6: the member's projects this agent acts on (tasks, requests, timesheets); none = all of them.",
    )

    def _coop_check_projects_right(self):
        """Art. 4.6: the member's work (requests, budgets, RSO, proposals, rate objections)
        is asked or decided by an agent holding the projects right."""
        self._coop_check_right(
            "projects", self.env._("Your mandate does not include the projects right: ask the company's main agent.")
        )

    def _coop_allowed_projects(self, projects):
        """Art. 4.6: the ``projects`` this person may act on (all of them without a recorded
        limit, none without the projects right)."""
        self.ensure_one()
        if not self.coop_has_projects_right:
            return projects.browse()
        if self.coop_allowed_project_ids and self.user_ids and all(self.user_ids.mapped("share")):
            return projects & self.coop_allowed_project_ids
        return projects

    # art. 4.6: the projects of an agent's mandate, set by the member's agents on the portal
    def _coop_mandate(self):
        mandate = super()._coop_mandate()
        mandate["project_ids"] = self.coop_allowed_project_ids
        return mandate

    def _coop_mandate_write_vals(self, mandate):
        vals = super()._coop_mandate_write_vals(mandate)
        if "project_ids" in mandate:
            vals["coop_allowed_project_ids"] = [Command.set(sorted(mandate["project_ids"].ids))]
        return vals

    def _coop_check_grant(self, mandate, company):
        """An agent limited to some projects gives a mandate on those projects at most."""
        super()._coop_check_grant(mandate, company)
        if not mandate.get("projects") or not self._coop_is_agent():
            return
        own = self.coop_allowed_project_ids
        given = mandate.get("project_ids") or self.env["project.project"]
        if own and (not given or given - own):
            raise UserError(
                self.env._(
                    "Your mandate is limited to the projects %s: the agent's mandate cannot cover other projects.",
                    ", ".join(own.mapped("name")),
                )
            )

    def _coop_mandate_text(self):
        text = super()._coop_mandate_text()
        if self.coop_right_projects and self.coop_allowed_project_ids:
            text += self.env._("; projects: %s", ", ".join(self.coop_allowed_project_ids.mapped("name")))
        return text
