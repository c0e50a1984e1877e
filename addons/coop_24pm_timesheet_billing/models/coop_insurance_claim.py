from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import float_compare, float_is_zero, format_amount, format_date


class CoopInsuranceClaim(models.Model):
    """ROI 2021 art. 5.5: when 24PM's civil liability insurance pays out because of the
    member's faulty conduct (an instruction of the member), the deductible is charged
    to the member, capped at the regulation's ``insurance_deductible_max`` (EUR 125).
    Repealed by ROI 2023: a member under a regulation without the cap is never charged."""

    _name = "coop.insurance.claim"
    _description = "Insurance claim caused by a member (deductible, art. 5.5)"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char("Claim", required=True, help="What happened, as declared to the insurer.")
    membership_id = fields.Many2one("coop.membership", required=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    regulation_id = fields.Many2one(related="membership_id.regulation_id", string="Regulation")
    date = fields.Date("Date of the claim", required=True, default=fields.Date.context_today)
    insurer_reference = fields.Char("Insurer's reference")
    instruction = fields.Text(
        "Member's instruction at the origin", required=True, help="The member's conduct that caused the claim."
    )
    deductible_amount = fields.Monetary("Deductible borne by 24PM", required=True, tracking=True)
    amount_charged = fields.Monetary(
        "Charged to the member", compute="_compute_amount_charged", store=True, help="Capped by the regulation."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("invoiced", "Invoiced"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    invoice_id = fields.Many2one("account.move", "Invoice", readonly=True, copy=False)

    @api.depends("deductible_amount", "membership_id.regulation_id.insurance_deductible_max")
    def _compute_amount_charged(self):
        for claim in self:
            cap = claim.membership_id.regulation_id.insurance_deductible_max
            claim.amount_charged = claim.currency_id.round(max(0.0, min(claim.deductible_amount, cap)))

    @api.constrains("membership_id", "deductible_amount")
    def _check_art_5_5(self):
        """Art. 5.5: only under a regulation that charges the deductible, for a positive amount."""
        for claim in self:
            regulation = claim.membership_id.regulation_id
            rounding = claim.currency_id.rounding or 0.01
            if float_is_zero(regulation.insurance_deductible_max, precision_rounding=rounding):
                raise ValidationError(
                    self.env._(
                        "Art. 5.5: %(member)s is governed by %(regulation)s, under which the insurance deductible "
                        "is not charged to the member (article 5.5 was repealed in 2023).",
                        member=claim.membership_id.partner_id.display_name,
                        regulation=regulation.display_name,
                    )
                )
            if float_compare(claim.deductible_amount, 0.0, precision_rounding=rounding) <= 0:
                raise ValidationError(self.env._("Art. 5.5: the deductible borne by 24PM must be positive."))

    def write(self, vals):
        if self.filtered(lambda c: c.state != "draft") and set(vals) - {"state", "invoice_id"}:
            raise UserError(self.env._("Art. 5.5: an invoiced or cancelled claim can no longer be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered("invoice_id"):
            raise UserError(self.env._("Art. 5.5: an invoiced claim cannot be deleted; credit its invoice."))

    def action_invoice(self):
        """Charge the capped deductible on a posted invoice of the member: an indemnity for
        the damage 24PM bore, outside the scope of VAT (SPEC 7.6, as the art. 10 indemnity)."""
        product = self.env.ref("coop_24pm_timesheet_billing.product_insurance_deductible")
        for claim in self:
            if claim.state != "draft":
                raise UserError(self.env._("Art. 5.5: only a draft claim can be invoiced."))
            membership = claim.membership_id
            if not membership:
                raise UserError(
                    self.env._("Art. 5.5: %s has no concluded contract to charge.", membership.partner_id.display_name)
                )
            claim._check_art_5_5()
            company = membership.company_id
            lang = membership.partner_id.lang or self.env.lang
            env = self.with_context(lang=lang).env
            name = env._(
                "Insurance deductible (art. 5.5), claim of %(date)s: %(claim)s - deductible %(deductible)s, "
                "charged up to %(cap)s",
                date=format_date(env, claim.date, lang_code=lang),
                claim=claim.name,
                deductible=format_amount(env, claim.deductible_amount, claim.currency_id, lang_code=lang),
                cap=format_amount(
                    env, membership.regulation_id.insurance_deductible_max, claim.currency_id, lang_code=lang
                ),
            )
            move = self.env["account.move"]._coop_create_member_invoice(
                membership,
                "insurance_deductible",
                [
                    {
                        "product_id": product.id,
                        "name": name,
                        "quantity": 1.0,
                        "price_unit": claim.amount_charged,
                        "account_id": company._coop_get_late_fee_account().id,
                        # compensation of a damage, outside the scope of VAT (SPEC 7.6)
                        "tax_ids": [Command.set(company._coop_get_outside_vat_tax().ids)],
                    }
                ],
                date=fields.Date.context_today(self),
            )
            claim.write({"state": "invoiced", "invoice_id": move.id})
            claim.message_post(body=self.env._("Deductible invoiced: %s", move.name))
            membership.message_post(
                body=self.env._(
                    "Insurance deductible of the claim %(claim)s invoiced (art. 5.5): %(amount)s, %(invoice)s",
                    claim=claim.name,
                    amount=format_amount(self.env, claim.amount_charged, claim.currency_id),
                    invoice=move.name,
                )
            )
        return True

    def action_cancel(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("Art. 5.5: only a draft claim can be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }
