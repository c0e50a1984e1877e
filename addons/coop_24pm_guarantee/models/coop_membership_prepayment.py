from odoo import models


class CoopMembership(models.Model):
    """Prepayments (ROI art. 6.1): the member keeps the agreement (amount, frequency,
    ``coop_membership.py``); the schedule and what is prepaid are its prepayment account
    (``coop.prepayment.account``, one per membership, same id)."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _get_prepayment_account(self):
        """The prepayment accounts of these members (``coop.prepayment.account``, same ids;
        not the advances account of the books, ``res.company._coop_get_prepayment_account``)."""
        return self.env["coop.prepayment.account"].browse(self.ids)

    def write(self, vals):
        res = super().write(vals)
        if {"prepayment_amount", "prepayment_frequency"} & set(vals):
            # the agreement changed: its contract line follows
            for account in self._get_prepayment_account():
                account._sync_contract_line()
        return res

    def action_view_prepayment_account(self):
        """The member's prepayments: the next invoice of the schedule and what is prepaid
        and not used (``coop.prepayment.account``)."""
        return self._get_prepayment_account()._get_records_action(name=self.env._("Prepayments"))
