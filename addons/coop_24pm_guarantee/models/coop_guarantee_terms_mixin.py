from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero, format_amount


class CoopGuaranteeTermsMixin(models.AbstractModel):
    """The guarantee's terms (art. 7, SPEC 7.5), one rule for the application that agrees
    them and the membership's guarantee that holds them (issue 21: no rule written twice).
    The models have a ``regulation_id``, a ``currency_id`` and a ``partner_id``."""

    _name = "coop.guarantee.terms.mixin"
    _description = "Guarantee terms (art. 7)"

    # what the terms are read against: the models' own fields
    currency_id = fields.Many2one("res.currency")
    regulation_id = fields.Many2one("coop.regulation")
    credit_score = fields.Float(
        tracking=True,
        help="Recorded by staff after a credit assessment; under the 2023 regulation the guarantee "
        "is required when the score is below the regulation's threshold. No score recorded: no guarantee.",
    )
    credit_assessment_date = fields.Date(
        "Credit assessed on",
        tracking=True,
        copy=False,
        help="SPEC 7.5: set when staff record a credit score; without an assessment the 2023 guarantee is not "
        "required.",
    )
    guarantee_required = fields.Boolean(compute="_compute_guarantee_required", store=True)
    guarantee_amount = fields.Monetary(
        "Guarantee agreed",
        compute="_compute_guarantee_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="Fixed at signature, between the regulation's minimum and maximum (EUR 1,000-10,000).",
    )

    @api.depends(
        "regulation_id.guarantee_policy",
        "regulation_id.credit_score_threshold",
        "credit_score",
        "credit_assessment_date",
    )
    def _compute_guarantee_required(self):
        """Art. 7 (2021): always; ROI 2023 (SPEC 7.5): only when staff recorded a credit
        assessment whose score is below the threshold. No score recorded: no requirement."""
        for record in self:
            regulation = record.regulation_id
            if regulation.guarantee_policy == "mandatory":
                record.guarantee_required = True
            elif regulation.guarantee_policy == "credit_score":
                record.guarantee_required = bool(record.credit_assessment_date) and (
                    float_compare(record.credit_score, regulation.credit_score_threshold, precision_digits=2) < 0
                )
            else:
                record.guarantee_required = False

    @api.depends("guarantee_required")
    def _compute_guarantee_amount(self):
        for record in self:
            if record.guarantee_required and not record.guarantee_amount:
                record.guarantee_amount = record.regulation_id.guarantee_min

    @api.constrains("guarantee_amount", "regulation_id")
    def _check_guarantee_amount(self):
        """Art. 7.1: EUR 1,000 to 10,000 when a guarantee is set."""
        for record in self:
            amount = record.guarantee_amount
            regulation = record.regulation_id
            rounding = record.currency_id.rounding
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
                        member=record.partner_id.display_name,
                        min=format_amount(self.env, regulation.guarantee_min, record.currency_id),
                        max=format_amount(self.env, regulation.guarantee_max, record.currency_id),
                        reg=regulation.name,
                        amount=format_amount(self.env, amount, record.currency_id),
                    )
                )

    @api.model
    def _coop_credit_assessment_vals(self, vals, creating=False):
        """SPEC 7.5: a score recorded is a credit assessment (dated today unless given)."""
        if "credit_score" in vals and (
            not vals.get("credit_assessment_date") if creating else "credit_assessment_date" not in vals
        ):
            return dict(vals, credit_assessment_date=fields.Date.context_today(self))
        return vals
