from odoo import api, fields, models
from odoo.exceptions import UserError


class CoopGuarantee(models.Model):
    """The member's guarantee (art. 7, SPEC 4.1, 7.5): the terms agreed with its application
    (credit assessment, required, amount) and their follow-up (due date, unpaid after it).
    One per membership, created with it from its application's terms.

    Issue 21: these were fields of ``coop.membership``; the rule of the terms is the
    application's and this record's (``coop.guarantee.terms.mixin``)."""

    _name = "coop.guarantee"
    _description = "Guarantee"
    _inherit = ["mail.thread", "coop.guarantee.terms.mixin"]
    _rec_name = "membership_id"
    _order = "membership_id"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id", string="Member")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    regulation_id = fields.Many2one(related="membership_id.regulation_id")
    date_signed = fields.Date(related="membership_id.date_signed")
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
    guarantee_due_date = fields.Date("Guarantee due on", compute="_compute_guarantee_due_date", store=True)
    guarantee_overdue = fields.Boolean("Guarantee unpaid after the deadline", readonly=True, tracking=True, copy=False)
    # SPEC 7.5: the credit line is the partner's credit limit (OCA account_financial_risk)
    credit_line_amount = fields.Float(
        related="partner_id.credit_limit",
        string="Credit line",
        readonly=False,
        help="The credit limit of the member company (financial risk): 0 = no credit line.",
    )

    _membership_uniq = models.Constraint("UNIQUE(membership_id)", "A membership has one guarantee.")

    @api.depends("date_signed", "guarantee_required", "regulation_id.guarantee_payment_days")
    def _compute_guarantee_due_date(self):
        for guarantee in self:
            guarantee.guarantee_due_date = (
                fields.Date.add(guarantee.date_signed, days=guarantee.regulation_id.guarantee_payment_days)
                if guarantee.date_signed and guarantee.guarantee_required
                else False
            )

    @api.constrains("guarantee_amount")
    def _check_guarantee_amount(self):
        """The rule of the terms (its regulation is the membership's, checked when it changes)."""
        return super()._check_guarantee_amount()

    @api.model
    def _coop_create_for(self, memberships):
        """The guarantee of each new membership, with the terms agreed with its application;
        returns them."""
        vals_list = []
        for membership in memberships:
            application = membership.application_id
            vals = {"membership_id": membership.id}
            if application.credit_assessment_date:
                vals.update(
                    {
                        "credit_score": application.credit_score,
                        "credit_assessment_date": application.credit_assessment_date,
                    }
                )
            if application.guarantee_required:
                vals["guarantee_amount"] = application.guarantee_amount
            vals_list.append(vals)
        guarantees = self.sudo().create(vals_list)
        for membership, guarantee in zip(memberships, guarantees, strict=True):
            membership.guarantee_id = guarantee
        return guarantees

    @api.model
    def _coop_create_missing(self):
        """A guarantee for each membership without one (those that exist when the addon is
        installed); returns them."""
        memberships = self.env["coop.membership"].with_context(active_test=False).search([("guarantee_id", "=", False)])
        return self._coop_create_for(memberships)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._coop_credit_assessment_vals(vals, creating=True) for vals in vals_list])

    def write(self, vals):
        vals = self._coop_credit_assessment_vals(vals)
        if "guarantee_amount" in vals and not self.env.context.get("coop_guarantee_amend"):
            signed = self.filtered(lambda g: g.date_signed and g.guarantee_amount != vals["guarantee_amount"])
            if signed:
                raise UserError(
                    self.env._(
                        "The guarantee of %s was fixed at signature: use a top-up to increase it.",
                        signed[0].partner_id.display_name,
                    )
                )
        return super().write(vals)
