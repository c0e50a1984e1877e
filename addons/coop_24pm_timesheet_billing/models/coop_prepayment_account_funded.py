from odoo import models


class CoopPrepaymentAccount(models.Model):
    """Funded work (risk 0, SPEC 4.3): the prepayments of a funded member are held on the
    advances account until it releases them on delivery (``action_coop_release_funded``)
    or the mediator decides (art. 11.3.2); they are never applied to its invoices."""

    _inherit = "coop.prepayment.account"

    def _apply(self, invoices=None):
        held = self.filtered(lambda account: account.membership_id._coop_is_funded())
        return super(CoopPrepaymentAccount, self - held)._apply(invoices)
