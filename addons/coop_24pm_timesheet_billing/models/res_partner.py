from odoo import fields, models


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

    def _coop_allowed_projects(self, projects):
        """Art. 4.6: the ``projects`` this person may act on (all of them without a recorded
        limit, none without the projects right)."""
        self.ensure_one()
        if not self.coop_may_projects:
            return projects.browse()
        if self.coop_allowed_project_ids and self.user_ids and all(self.user_ids.mapped("share")):
            return projects & self.coop_allowed_project_ids
        return projects
