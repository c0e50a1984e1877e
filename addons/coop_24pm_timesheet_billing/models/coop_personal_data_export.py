from odoo import api, models


class CoopPersonalDataExport(models.AbstractModel):
    """Issue 16: the member's own data adds its projects' tasks and work, and its
    expenses (for an agent with the projects right, on the projects of its mandate)."""

    _inherit = "coop.personal.data.export"

    @api.model
    def _tables(self, membership, agent):
        data = super()._tables(membership, agent)
        if not agent.coop_has_projects_right:
            return data
        company = membership.partner_id.commercial_partner_id
        memberships = company.sudo().coop_membership_ids
        projects = self.env["project.project"].sudo().search([("coop_membership_id", "in", memberships.ids)])
        projects = agent._coop_allowed_projects(projects)
        data["tasks"] = self._rows(
            self.env["project.task"].sudo().search([("project_id", "in", projects.ids)], order="id"),
            ["name", "project_id", "stage_id", "create_date", "date_deadline", "allocated_hours"],
        )
        data["work"] = self._rows(
            self.env["account.analytic.line"].sudo().search([("project_id", "in", projects.ids)], order="date, id"),
            [
                "date",
                "project_id",
                "task_id",
                "name",
                "coop_category_id",
                "unit_amount",
                "coop_billable_hours",
                "coop_beyond_budget_hours",
                "coop_amount",
                "coop_invoice_id",
            ],
        )
        data["expenses"] = self._rows(
            self.env["coop.expense"].sudo().search([("membership_id", "in", memberships.ids)], order="date, id"),
            ["date", "name", "expense_type", "quantity", "price_unit", "amount"],
        )
        return data
