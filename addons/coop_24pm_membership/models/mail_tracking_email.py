from odoo import api, models


class MailTrackingEmail(models.Model):
    """SPEC 7.3: each change of a copy's delivery (sent, bounced, error) updates the
    notice it belongs to (``coop.notice``)."""

    _inherit = "mail.tracking.email"

    @api.model_create_multi
    def create(self, vals_list):
        trackings = super().create(vals_list)
        if any(vals.get("state") for vals in vals_list):
            self.env["coop.notice"]._coop_update_from_trackings(trackings)
        return trackings

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self.env["coop.notice"]._coop_update_from_trackings(self)
        return res
