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
        """SPEC 4.3: the payment mode of the members concerned follows their mandates: direct
        debit whenever the member has a valid B2B mandate; prepayments when its last valid
        mandate ends (``mandate_lost``). Changes both ways, with a message on the membership."""
        partners = self.sudo().partner_id.commercial_partner_id
        if not partners:
            return
        memberships = self.env["coop.membership"].sudo().search([("partner_id", "in", partners.ids)])
        for membership in memberships.filtered(lambda m: m.state != "terminated" and m.coop_payment_mode):
            mandate = membership._coop_get_b2b_mandate()
            if mandate and membership.coop_payment_mode != "direct_debit":
                membership.coop_payment_mode = "direct_debit"
                membership.message_post(
                    body=self.env._(
                        "Mandate %s is valid: invoices are now collected by SEPA B2B direct debit.",
                        mandate.unique_mandate_reference,
                    )
                )
            elif mandate_lost and not mandate and membership.coop_payment_mode == "direct_debit":
                membership.coop_payment_mode = "prepayment"
                membership.message_post(
                    body=self.env._(
                        "No valid SEPA B2B mandate any more: direct debits stop and the member pays by "
                        "prepayments until a new mandate is valid."
                    )
                )
            membership._coop_apply_oca_payment_mode()

    @api.model
    def _coop_payment_mode_reason(self, mode, mandate):
        """Why a member with payment ``mode`` and valid B2B ``mandate`` (or none) pays as it
        does (art. 6.1), said on its form."""
        if mode == "direct_debit" and mandate:
            return self.env._(
                "Invoices are collected by SEPA B2B direct debit under mandate %s (art. 6.1).",
                mandate.unique_mandate_reference,
            )
        if mode == "direct_debit":
            return self.env._(
                "Direct debit is the rule, but there is no valid SEPA B2B mandate yet: nothing is collected "
                "until one is valid."
            )
        if mode == "prepayment":
            return self.env._(
                "No valid SEPA B2B mandate: the member pays by prepayments of an agreed amount (art. 6.1); "
                "direct debit applies as soon as a mandate is valid."
            )
        return False

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
