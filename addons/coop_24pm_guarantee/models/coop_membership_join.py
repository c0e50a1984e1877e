from odoo import models


class CoopMembershipJoinGuarantee(models.Model):
    """The online journey's money steps (SPEC 2.1.2, 4.1, 4.3): the guarantee invoiced
    with the B share at signature, then the SEPA B2B mandate signed online (or
    prepayments instead)."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    # issue 21: the payment chosen online, the mandate signed online and the guarantee invoiced
    # online are the application's (``application_id.join_payment_choice``, ``.join_mandate_id``,
    # ``.join_guarantee_move_id``)

    # the mandate and prepayment steps of the journey are the application's (issue 15 item 4,
    # see coop_membership_application.py); staff confirm the bank's registration here

    def action_confirm_join_mandate(self):
        """Replay entry point (``coop.membership.application.action_confirm_join_mandate``)."""
        return self.application_id.action_confirm_join_mandate()

    def _coop_check_activation(self):
        """A mandate signed online and awaiting the bank's confirmation is enough to start
        the plan (SPEC 2.1.3); the debits wait for its validation by staff."""
        awaiting_bank = self.filtered(
            lambda m: (
                m.coop_payment_mode == "direct_debit"
                and m.application_id.join_mandate_id.state == "draft"
                and m.application_id.join_mandate_id.coop_signed_on
            )
        )
        return super(CoopMembershipJoinGuarantee, self - awaiting_bank)._coop_check_activation()
