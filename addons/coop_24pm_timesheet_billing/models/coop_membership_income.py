from odoo import models


class CoopMembership(models.Model):
    """The plan in force on a date of the member (the income of its services per plan:
    Cooperative settings, management report)."""

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
