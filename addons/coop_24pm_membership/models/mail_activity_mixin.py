from odoo import models


class MailActivityMixin(models.AbstractModel):
    _inherit = "mail.activity.mixin"

    def _coop_user_env(self, user):
        """The environment in ``user``'s language, to write the texts of an activity given
        to it: a scheduled job runs as OdooBot, in English, not in the staff's language."""
        return self.with_context(lang=user.lang or self.env.lang).env
