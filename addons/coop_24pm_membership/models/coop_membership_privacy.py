"""Personal data of former members (FAQ "Votre compte"): the membership's button, the
entry point of ``coop.personal.data.retention`` (the dates are the end's record)."""

from odoo import models


class CoopMembership(models.Model):
    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def action_coop_anonymise_personal_data(self):
        """Staff confirm the anonymisation of the former member's agents and contacts."""
        return self.env["coop.personal.data.retention"]._anonymise(self)
