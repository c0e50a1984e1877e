from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _signup_create_user(self, values):
        """A free account (FAQ "Votre compte"): whoever signs up is a prospect, without obligation."""
        user = super()._signup_create_user(values)
        user.partner_id.sudo().is_coop_prospect = True
        return user

    def _deactivate_portal_user(self, **post):
        """FAQ "Votre compte": a prospect's account is deleted at once (Odoo's own flow,
        then its personal data anonymised with OCA ``privacy_partner_to_be_forgotten``);
        the account of a company that is or was a member closes only through the
        termination of its contract, and its data follow the retention of the accounting
        evidence."""
        for user in self:
            if user.partner_id._coop_memberships_ever():
                raise UserError(
                    self.env._(
                        'FAQ "Votre compte": %(company)s is or was a member of 24PM: its account closes through the '
                        "termination of its contract (one month's notice, art. 4.4.1), and the personal data of its "
                        "agents are anonymised once the accounting evidence need no longer be kept.",
                        company=user.partner_id.commercial_partner_id.display_name,
                    )
                )
        partners = self.partner_id
        res = super()._deactivate_portal_user(**post)
        # as the superuser: a user cannot archive itself, and OCA archives the anonymised user
        for partner in partners.with_user(SUPERUSER_ID).with_context(active_test=False):
            partner.anonymize_partner_data()
        return res
