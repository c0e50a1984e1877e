from odoo import Command, models


class CoopMembershipTermination(models.Model):
    _inherit = "coop.membership.termination"

    def _coop_book_fault_indemnity(self):
        """Art. 10: the fault indemnity, whichever party is at fault (SPEC 7.1): an invoice to
        the member at fault, so that whatever settles the sums due at termination (the
        guarantee draw) sees it; a credit note 24PM pays out when 24PM is at fault."""
        product = self.env.ref("coop_24pm_plans.product_fault_indemnity")
        for end in self.filtered(lambda t: t.termination_type == "fault" and t.fault_indemnity_amount > 0):
            membership = end.membership_id
            self.env["account.move"]._coop_create_member_invoice(
                membership,
                "indemnity",
                [
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "Fixed indemnity for termination for serious fault (art. 10): %s",
                            end.fault_description or "",
                        )
                        if end.fault_party == "member"
                        else self.env._(
                            "Fixed indemnity owed by 24PM for termination for its serious fault (art. 10): %s",
                            end.fault_description or "",
                        ),
                        "quantity": 1.0,
                        "price_unit": end.fault_indemnity_amount,
                        # compensation, outside the scope of VAT (SPEC 7.6): VAT category O
                        "tax_ids": [Command.set(membership.company_id._coop_get_outside_vat_tax().ids)],
                    }
                ],
                date=end.date_terminated,
                move_type="out_invoice" if end.fault_party == "member" else "out_refund",
            )
