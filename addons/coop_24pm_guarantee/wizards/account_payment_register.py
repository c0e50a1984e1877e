from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        """A document a payment order not uploaded yet collects is refused before the
        payment is created (``account.move.line._coop_check_not_in_pending_payment_order``
        refuses its reconciliation anyway)."""
        self.line_ids._coop_check_may_be_settled_otherwise()
        return super()._create_payments()
