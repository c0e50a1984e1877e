from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero


class CoopMembershipApplication(models.Model):
    """The guarantee and the payment mode agreed with the application (SPEC 4.1, 4.3, 7.5):
    written on the e-contract, copied to the membership at its conclusion, which invoices
    the guarantee (never before the acceptance, issue 15)."""

    _inherit = "coop.membership.application"

    credit_score = fields.Float(
        tracking=True,
        help="Recorded by staff after a credit assessment; under the 2023 regulation the guarantee "
        "is required when the score is below the regulation's threshold. No score recorded: no guarantee.",
    )
    credit_assessment_date = fields.Date("Credit assessed on", tracking=True, copy=False)
    guarantee_required = fields.Boolean(compute="_compute_guarantee_required", store=True)
    guarantee_amount = fields.Monetary(
        "Guarantee agreed",
        compute="_compute_guarantee_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="Fixed at signature, between the regulation's minimum and maximum (EUR 1,000-10,000).",
    )
    coop_payment_mode = fields.Selection(
        [("direct_debit", "SEPA B2B direct debit"), ("prepayment", "Prepayments")],
        "Payment mode",
        tracking=True,
        help="Direct debit from a B2B mandate is the rule; prepayments of an agreed amount are the exception.",
    )
    prepayment_amount = fields.Monetary("Agreed prepayment", tracking=True)
    prepayment_frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")], default="monthly"
    )
    join_payment_choice = fields.Selection(
        [("direct_debit", "SEPA B2B direct debit"), ("prepayment", "Prepayments")],
        "Payment chosen online",
        readonly=True,
        copy=False,
    )
    join_mandate_id = fields.Many2one(
        "account.banking.mandate", "Mandate signed online", readonly=True, copy=False, index="btree_not_null"
    )
    mandate_id = fields.Many2one("account.banking.mandate", "B2B mandate", compute="_compute_mandate_id")

    @api.depends(
        "regulation_id.guarantee_policy",
        "regulation_id.credit_score_threshold",
        "credit_score",
        "credit_assessment_date",
    )
    def _compute_guarantee_required(self):
        """The membership's rule (art. 7 in 2021; SPEC 7.5 under ROI 2023)."""
        for application in self:
            regulation = application.regulation_id
            if regulation.guarantee_policy == "mandatory":
                application.guarantee_required = True
            elif regulation.guarantee_policy == "credit_score":
                application.guarantee_required = bool(application.credit_assessment_date) and (
                    float_compare(application.credit_score, regulation.credit_score_threshold, precision_digits=2) < 0
                )
            else:
                application.guarantee_required = False

    @api.depends("guarantee_required")
    def _compute_guarantee_amount(self):
        for application in self:
            if application.guarantee_required and not application.guarantee_amount:
                application.guarantee_amount = application.regulation_id.guarantee_min

    def _compute_mandate_id(self):
        for application in self:
            application.mandate_id = application.join_mandate_id.filtered(lambda m: m.state == "valid")

    @api.constrains("guarantee_amount", "regulation_id")
    def _check_guarantee_amount(self):
        """Art. 7.1: EUR 1,000 to 10,000 when a guarantee is set."""
        for application in self:
            amount = application.guarantee_amount
            regulation = application.regulation_id
            rounding = application.currency_id.rounding
            if float_is_zero(amount, precision_rounding=rounding):
                continue
            if (
                float_compare(amount, regulation.guarantee_min, precision_rounding=rounding) < 0
                or float_compare(amount, regulation.guarantee_max, precision_rounding=rounding) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The guarantee of %(member)s must be between %(min)s and %(max)s (art. 7.1 of %(reg)s); "
                        "%(amount)s was given.",
                        member=application.partner_id.display_name,
                        min=f"{regulation.guarantee_min:,.2f}",
                        max=f"{regulation.guarantee_max:,.2f}",
                        reg=regulation.name,
                        amount=f"{amount:,.2f}",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # SPEC 7.5: a score recorded is a credit assessment
            if "credit_score" in vals and not vals.get("credit_assessment_date"):
                vals["credit_assessment_date"] = fields.Date.context_today(self)
        return super().create(vals_list)

    def write(self, vals):
        if "credit_score" in vals and "credit_assessment_date" not in vals:
            vals = dict(vals, credit_assessment_date=fields.Date.context_today(self))
        return super().write(vals)

    def _coop_on_refuse(self):
        res = super()._coop_on_refuse()
        self.join_mandate_id.sudo().filtered(lambda m: m.state in ("draft", "valid")).cancel()
        return res

    def _prepare_membership_vals(self):
        vals = super()._prepare_membership_vals()
        if self.coop_payment_mode:
            # else the membership's own default: direct debit when a B2B mandate exists
            vals.update(
                {
                    "coop_payment_mode": self.coop_payment_mode,
                    "prepayment_amount": self.prepayment_amount,
                    "prepayment_frequency": self.prepayment_frequency,
                }
            )
        if self.join_mandate_id or self.join_payment_choice:
            vals.update({"join_payment_choice": self.join_payment_choice, "join_mandate_id": self.join_mandate_id.id})
        if self.credit_assessment_date:
            vals.update({"credit_score": self.credit_score, "credit_assessment_date": self.credit_assessment_date})
        if self.guarantee_required:
            vals["guarantee_amount"] = self.guarantee_amount
        return vals

    def action_conclude(self, date=None):
        res = super().action_conclude(date)
        # the mandate signed online belongs to the membership from its conclusion
        for application in self.filtered("join_mandate_id"):
            application.join_mandate_id.sudo().coop_membership_id = application.membership_id
        return res
