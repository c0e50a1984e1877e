from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _signup_create_user(self, values):
        """A free account (FAQ "Votre compte"): whoever signs up is a prospect, without obligation."""
        user = super()._signup_create_user(values)
        user.partner_id.sudo().is_coop_prospect = True
        return user
