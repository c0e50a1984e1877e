from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CoopMembership(models.Model):
    """Funded work ("risk 0", the project-marketplace seed; SPEC 4.3): a member paying by
    prepayments (art. 6.1) whose work proceeds only on the amount it funded. The member
    agrees to it with its prepayments (``coop_funded_work``); the funded balance, the work
    on it and its release on delivery are its prepayment account's
    (``coop_prepayment_account_funded.py``); a dispute on it goes to mediation (art. 11.3.2)."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    coop_funded_work = fields.Boolean(
        "Funded work (risk 0)",
        tracking=True,
        help="Prepayment mode only: work is accepted up to the amount the member funded, the prepayments "
        "are held until the member releases them on delivery, and disputes go to mediation (art. 11.3.2).",
    )

    @api.constrains("coop_funded_work")
    def _check_coop_funded_work(self):
        """Set on a member paying by prepayments; should it later pay by direct debit, the
        rules of funded work stop applying (``_coop_is_funded``)."""
        for membership in self:
            if membership.coop_funded_work and membership.coop_payment_mode != "prepayment":
                raise ValidationError(
                    self.env._(
                        "%s: funded work (risk 0) needs the prepayment mode (art. 6.1).", membership.display_name
                    )
                )

    def _coop_is_funded(self):
        self.ensure_one()
        return self.coop_funded_work and self.coop_payment_mode == "prepayment"
