from odoo import fields, models


class CoopMembershipApplicationNotice(models.Model):
    """SPEC 7.3 for the journey before the conclusion (issue 15): the application's
    e-mails are notices too, their delivery tracked; the membership shows them once
    concluded."""

    _name = "coop.membership.application"
    _inherit = ["coop.membership.application", "coop.notice.mixin"]

    notice_ids = fields.One2many("coop.notice", "application_id", "Notices")

    def _coop_notice_holder_field(self):
        return "application_id"
