from odoo import api, models


class CoopMembership(models.Model):
    """Income of the service invoices per plan (Cooperative settings, management report); no
    service invoice is due while the Cooperative settings are incomplete."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_plan_on_date_resolver(self):
        """A function ``date -> plan in force on that date`` for this member, cached per date."""
        self.ensure_one()
        cache = {}

        def plan_of(day):
            if day not in cache:
                cache[day] = self._get_plan_on(day) or self.env["coop.plan"]
            return cache[day]

        return plan_of

    def _coop_income_resolver(self):
        """A function ``(plan, kind) -> invoice line values`` of a service invoice line:
        the plan's service income account, and the plan and kind for the management
        report (accounts cached per plan)."""
        self.ensure_one()
        accounts = {}

        def income(plan, kind):
            vals = {"coop_line_kind": kind}
            if plan:
                if plan not in accounts:
                    accounts[plan] = plan._coop_get_income_account("service_account_id", self.company_id)
                vals.update({"coop_plan_id": plan.id, "account_id": accounts[plan].id})
            return vals

        return income

    @api.model
    def _coop_get_due_memberships(self, today):
        due = super()._coop_get_due_memberships(today)
        if self.env.context.get("coop_check_configuration") and due:
            ready = self.env["res.company"]._coop_ready_companies("Cooperative service invoicing", due.company_id)
            due = due.filtered(lambda m: m.company_id in ready)
        return due
