from odoo import fields, models
from odoo.exceptions import UserError

from ..models.coop_membership import BOUND_STATES


class CoopRegulationNotifyWizard(models.TransientModel):
    """Art. 11.1: notify members of a new regulation; they have 10 days to contest."""

    _name = "coop.regulation.notify.wizard"
    _description = "Notify a regulation change"

    new_regulation_id = fields.Many2one("coop.regulation", required=True)
    membership_ids = fields.Many2many(
        "coop.membership",
        string="Members",
        domain=f"[('state', 'in', {BOUND_STATES!r}), ('regulation_id', '!=', new_regulation_id)]",
    )

    def action_notify(self):
        self.ensure_one()
        memberships = self.membership_ids.filtered(lambda m: m.regulation_id != self.new_regulation_id)
        if not memberships:
            raise UserError(self.env._("Choose the members to notify."))
        memberships._notify_regulation_change(self.new_regulation_id)
        return {"type": "ir.actions.act_window_close"}
