"""The end of a membership dates when its personal data may be anonymised (FAQ "Votre compte",
SPEC 2.3): see ``coop.personal.data.retention``."""

from odoo import api, fields, models


class CoopMembershipTermination(models.Model):
    _inherit = "coop.membership.termination"

    coop_data_retention_date = fields.Date(
        "Personal data kept until",
        compute="_compute_coop_data_retention_date",
        help="End of the membership plus the retention period of the accounting evidence (company setting): "
        "from this date the personal data of the former member's agents and contacts are anonymised.",
    )
    coop_data_anonymised_date = fields.Date("Personal data anonymised on", readonly=True, copy=False)

    @api.depends("membership_id.state", "membership_id.date_end", "company_id.coop_data_retention_years")
    def _compute_coop_data_retention_date(self):
        Retention = self.env["coop.personal.data.retention"]
        for termination in self:
            termination.coop_data_retention_date = Retention._retention_date(termination.membership_id)
