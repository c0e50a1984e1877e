from odoo import api, fields, models


class CoopMembershipApplication(models.Model):
    """ROI 2019 art. 3: an application under the 2019 regulation (an affiliation) is
    concluded before 1 May 2021 only."""

    _inherit = "coop.membership.application"

    @api.constrains("regulation_id", "date_application", "date_signed", "date_concluded")
    def _check_affiliation_date(self):
        for application in self.filtered("regulation_id.is_affiliation"):
            day = max(filter(None, (application.date_application, application.date_signed, application.date_concluded)))
            application.regulation_id._check_affiliation_date(day, application.partner_id.display_name)

    @api.model_create_multi
    def create(self, vals_list):
        """Refuse a late affiliation before anything is written (the constraint checks it again)."""
        Regulation = self.env["coop.regulation"]
        today = fields.Date.context_today(self)
        for vals in vals_list:
            regulation = Regulation.browse(vals.get("regulation_id") or Regulation._get_current().id)
            if regulation.is_affiliation:
                days = [fields.Date.to_date(vals.get(name)) for name in ("date_application", "date_signed")]
                partner = self.env["res.partner"].browse(vals.get("partner_id"))
                regulation._check_affiliation_date(max(filter(None, days), default=today), partner.display_name)
        return super().create(vals_list)

    def action_conclude(self, date=None):
        """Refuse the conclusion of an affiliation at a date the regulation no longer allows,
        before anything is created or invoiced."""
        day = fields.Date.to_date(date) or fields.Date.context_today(self)
        for application in self.filtered("regulation_id.is_affiliation"):
            application.regulation_id._check_affiliation_date(
                max(day, application.date_signed or day), application.partner_id.display_name
            )
        return super().action_conclude(date=date)
