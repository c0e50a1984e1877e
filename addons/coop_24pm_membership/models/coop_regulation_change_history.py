from odoo import fields, models


class CoopRegulationChange(models.Model):
    """The regulation history also records the changes applied under art. 11.1."""

    _inherit = "coop.regulation.change"

    def action_apply(self):
        today = fields.Date.context_today(self)
        for change in self.filtered(lambda c: c.state in ("notified", "contested")):
            self.env["coop.membership.regulation.history"].sudo()._record(
                change.membership_id, change.new_regulation_id, today
            )
        return super().action_apply()
