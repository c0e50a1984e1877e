from odoo import Command, fields, models
from odoo.tools import float_is_zero


class CoopMembershipApplicationJoinGuarantee(models.Model):
    """The guarantee invoiced with the B share once the application is accepted (issue 15;
    SPEC 2.1.2, 4.1): the journey's record is the application (issue 21)."""

    _inherit = "coop.membership.application"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    join_guarantee_move_id = fields.Many2one(
        "account.move", "Guarantee invoice", readonly=True, copy=False, help="The guarantee invoiced online."
    )

    def _coop_join_invoices(self):
        return super()._coop_join_invoices() | self.join_guarantee_move_id

    def _coop_join_invoices_done(self):
        done = super()._coop_join_invoices_done()
        membership = self.membership_id
        if not membership.guarantee_id.guarantee_required or float_is_zero(
            membership.guarantee_id.guarantee_amount, precision_rounding=membership.currency_id.rounding
        ):
            return done
        return done and (self.join_guarantee_move_id.state == "posted" or bool(membership.guarantee_id.move_ids))

    def _coop_join_invoice(self):
        self.lock_for_update()
        for application in self.sudo()._coop_join_may_invoice():
            membership = application.membership_id
            if (
                membership.guarantee_id.guarantee_required
                and not float_is_zero(
                    membership.guarantee_id.guarantee_amount, precision_rounding=membership.currency_id.rounding
                )
                and not application.join_guarantee_move_id
                and not membership.guarantee_id.move_ids.filtered(lambda m: m.state == "posted")
            ):
                application.join_guarantee_move_id = application._coop_join_create_guarantee_invoice()
        return super()._coop_join_invoice()

    def _coop_join_create_guarantee_invoice(self):
        """The guarantee agreed at signature (art. 7.1) of the membership concluded, invoiced
        on the deposits received account (488000, a liability, never revenue). It counts as
        held once paid."""
        self.ensure_one()
        membership = self.membership_id
        company = membership.company_id
        today = fields.Date.context_today(self)
        lang = membership.partner_id.lang or self.env.lang
        vals = {
            "move_type": "out_invoice",
            "partner_id": membership.partner_id.id,
            "journal_id": company._coop_get_guarantee_invoice_journal().id,
            "invoice_date": today,
            "invoice_date_due": membership.guarantee_id.guarantee_due_date or today,
            "company_id": company.id,
            "ref": membership.name,
            "invoice_origin": membership.name,
            "coop_guarantee_invoice": True,
            "coop_is_call_for_funds": True,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.with_context(lang=lang).env._(
                            "Guarantee (art. 7 of %(reg)s) - membership %(ref)s",
                            reg=membership.regulation_id.with_context(lang=lang).name,
                            ref=membership.name,
                        ),
                        "quantity": 1,
                        "price_unit": membership.guarantee_id.guarantee_amount,
                        "account_id": company._coop_get_guarantee_account().id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        return self._coop_join_post_invoice(vals)
