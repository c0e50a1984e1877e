from odoo import api, models
from odoo.exceptions import UserError


class CoopMembershipJoinGuarantee(models.Model):
    """The online journey's money steps (SPEC 2.1.2, 4.1, 4.3): the guarantee invoiced
    with the B share at signature, then the SEPA B2B mandate signed online (or
    prepayments instead)."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    # issue 21: the payment chosen online, the mandate signed online and the guarantee invoiced
    # online are the application's (``application_id.join_payment_choice``, ``.join_mandate_id``,
    # ``.join_guarantee_move_id``)

    @api.model
    def _coop_join_guarantee_preview(self):
        """The guarantee a new member will be invoiced with its B share (regulation in force):
        its minimum when always required (2021); under ROI 2023 a new member has no credit
        assessment yet, so no guarantee (SPEC 7.5), else 0."""
        regulation = self.env["coop.regulation"].sudo()._get_current()
        return regulation.guarantee_min if regulation.guarantee_policy == "mandatory" else 0.0

    # the mandate and prepayment steps of the journey are the application's (issue 15 item 4,
    # see coop_membership_application.py); staff confirm the bank's registration here

    def action_confirm_join_mandate(self):
        """Staff: the member's bank registered the B2B mandate; it becomes valid."""
        for membership in self:
            mandate = membership.application_id.join_mandate_id
            if not mandate or mandate.state != "draft" or not mandate.coop_signed_on:
                raise UserError(self.env._("There is no signed mandate awaiting the bank's confirmation."))
            mandate.validate()
            membership.message_post(
                body=self.env._("Mandate %s confirmed: registered by the member's bank.", mandate.display_name)
            )
            membership.application_id._coop_join_notify("mandate_confirmed")
        self.application_id.filtered(lambda a: a.origin == "online")._coop_join_activate()
        return True

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
