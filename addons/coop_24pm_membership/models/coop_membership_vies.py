from odoo import models


class CoopMembershipVies(models.Model):
    """FAQ ("Contrat", SPEC 2.1.7): the legal name and address of a member follow VIES.
    The sync is ``coop.vies.sync``'s (issue 21); the membership's form keeps its button."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def action_coop_check_vies(self):
        """The membership's button: the member company's legal data from VIES now."""
        self.partner_id.action_coop_check_vies()
        return True
