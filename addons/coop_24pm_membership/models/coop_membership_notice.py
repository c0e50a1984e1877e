from odoo import fields, models


class CoopMembershipNotice(models.Model):
    """SPEC 7.3: every message to a member leaves through ``_coop_send_notice``."""

    _name = "coop.membership"
    _inherit = ["coop.membership", "coop.notice.mixin"]

    notice_ids = fields.One2many("coop.notice", "membership_id", "Notices")

    def _coop_notice_holder_field(self):
        return "membership_id"

    def _coop_notice_delivery_changed(self, notice):
        """The deadlines a membership's notices start run from their delivery (SPEC 7.3):
        the 48 hours of a formal notice (art. 4.3) and the month of 24PM's notice of
        termination (art. 4.4.1)."""
        self.ensure_one()
        delivered = notice.state == "delivered" and notice.date_delivered
        if notice.kind == "formal_notice" and self.suspension_id.formal_notice_reason:
            self.suspension_id.date_formal_notice = delivered or False
        elif notice.kind == "notice" and self.state == "notice" and self.termination_id.notice_given_by == "coop":
            if delivered:
                self.termination_id.date_notice = delivered.date()
                self.date_end = self.env["coop.membership.termination"]._notice_end_date(self, delivered.date())
            else:
                self.date_end = False
