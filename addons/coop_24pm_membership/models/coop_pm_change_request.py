from odoo import fields, models
from odoo.exceptions import UserError


class CoopPmChangeRequest(models.Model):
    """Art. 8.2: the member may ask, with a reason, for another Project Manager."""

    _name = "coop.pm.change.request"
    _description = "Project Manager change request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    membership_id = fields.Many2one("coop.membership", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    current_pm_id = fields.Many2one("res.users", "Current PM", readonly=True)
    new_pm_id = fields.Many2one("res.users", "New PM", domain=[("share", "=", False)], tracking=True)
    reason = fields.Text(required=True)
    answer = fields.Text()
    state = fields.Selection(
        [("requested", "Requested"), ("done", "PM changed"), ("refused", "Refused")],
        default="requested",
        required=True,
        tracking=True,
    )

    def _check_requested(self):
        if self.filtered(lambda r: r.state != "requested"):
            raise UserError(self.env._("This request is already closed."))

    def action_approve(self):
        self._check_requested()
        for request in self:
            if not request.new_pm_id:
                raise UserError(self.env._("Choose the new Project Manager."))
            request.membership_id.pm_id = request.new_pm_id
        self.write({"state": "done"})

    def action_refuse(self):
        self._check_requested()
        if self.filtered(lambda r: not (r.answer or "").strip()):
            raise UserError(self.env._("Give the member the reason of the refusal."))
        self.write({"state": "refused"})

    def _notify_staff(self):
        for request in self:
            user = request.membership_id._coop_responsible_user(self.env.ref("base.user_admin"), prefer="am")
            request.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=request._coop_user_env(user)._("Project Manager change requested"),
                note=request.reason,
                user_id=user.id,
            )
