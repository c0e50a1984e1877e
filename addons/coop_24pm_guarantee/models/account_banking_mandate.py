from odoo import api, fields, models


class AccountBankingMandate(models.Model):
    """A B2B mandate signed online by the member (SPEC 4.3): it stays in draft until
    staff confirm that the member's bank registered it, then it is validated."""

    _inherit = "account.banking.mandate"

    coop_membership_id = fields.Many2one("coop.membership", "Membership", readonly=True, index="btree_not_null")
    coop_signature = fields.Image("Signature", max_width=1024, max_height=1024, attachment=True, copy=False)
    coop_signed_by = fields.Char("Signed online by", readonly=True, copy=False)
    coop_signed_by_user_id = fields.Many2one("res.users", "Signing user", readonly=True, copy=False)
    coop_signed_on = fields.Datetime("Signed online on", readonly=True, copy=False)

    @api.model
    def _coop_b2b_mandate_of(self, partner, company):
        """The valid SEPA B2B mandate of ``partner`` with the cooperative ``company``."""
        return self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("state", "=", "valid"),
                ("scheme", "=", "B2B"),
                ("company_id", "in", (False, company.id)),
            ],
            limit=1,
        )

    @api.model_create_multi
    def create(self, vals_list):
        mandates = super().create(vals_list)
        mandates._coop_sync_memberships()
        return mandates

    def write(self, vals):
        if "state" not in vals and "scheme" not in vals:
            return super().write(vals)
        was_valid = self.filtered(lambda m: m.state == "valid" and m.scheme == "B2B")
        res = super().write(vals)
        lost = was_valid.filtered(lambda m: m.state != "valid" or m.scheme != "B2B")
        (self - lost)._coop_sync_memberships()
        lost._coop_sync_memberships(mandate_lost=True)
        return res

    def _coop_sync_memberships(self, mandate_lost=False):
        """The payment mode of the members concerned follows their mandates (SPEC 4.3)."""
        partners = self.sudo().partner_id.commercial_partner_id
        if partners:
            memberships = self.env["coop.membership"].sudo().search([("partner_id", "in", partners.ids)])
            memberships._coop_sync_payment_mode(mandate_lost=mandate_lost)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Mandate %s", self.unique_mandate_reference)

    def _coop_attach_signed_pdf(self):
        """The signed mandate (OCA's SEPA mandate report, with the signature) attached to it."""
        self.ensure_one()
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("account_banking_sepa_direct_debit.report_sepa_direct_debit_mandate", self.ids)
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Signed mandate %s.pdf", self.unique_mandate_reference),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.sudo().message_post(
            body=self.env._("Mandate signed online by %s; to be registered by the member's bank.", self.coop_signed_by),
            attachment_ids=attachment.ids,
        )
        return attachment
