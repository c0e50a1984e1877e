from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import format_date


class CoopRegulation(models.Model):
    """A version of the internal regulations (ROI) with the parameters it sets.

    Older contracts keep their rules, so every membership points to the regulation
    that governs it and code reads parameters from here, never from constants.
    """

    _name = "coop.regulation"
    _description = "Cooperative regulation (ROI)"
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code, e.g. roi_2023.")
    active = fields.Boolean(default=True)
    date_start = fields.Date("In force from", required=True)
    date_ratified = fields.Date("Ratified on")
    is_affiliation = fields.Boolean(
        "Affiliation regime", help="Affiliation contracts concluded before the 2021 regulation."
    )
    company_id = fields.Many2one("res.company", help="Empty: shared by all companies.")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    # guarantee (art. 7)
    guarantee_policy = fields.Selection(
        [("mandatory", "Mandatory"), ("credit_score", "Required below a credit score"), ("none", "None")],
        required=True,
        default="mandatory",
    )
    guarantee_min = fields.Monetary("Minimum guarantee", default=1000.0)
    guarantee_max = fields.Monetary("Maximum guarantee", default=10000.0)
    guarantee_payment_days = fields.Integer("Days to pay the guarantee", default=30)
    guarantee_refund_months = fields.Integer("Guarantee refund delay (months)", default=12)
    credit_score_threshold = fields.Float(
        "Credit score threshold", help="Below this score the guarantee is required (2023)."
    )
    # commitments and notice (art. 4.4)
    allow_annual_commitment = fields.Boolean("Annual commitment offered")
    notice_months_monthly = fields.Integer("Notice, monthly commitment (months)", default=1)
    notice_months_annual = fields.Integer("Notice before the year ends, annual commitment (months)", default=3)
    annual_discount_months = fields.Integer(
        "Months free with an annual commitment", default=2, help="Annual price = 10 months for 12."
    )
    annual_late_days = fields.Integer("Days late before the free months are due", default=10)
    # invoicing rhythm (art. 6.2)
    service_invoice_days = fields.Integer("Service invoice every (days)", required=True, default=15)
    daily_invoice_without_guarantee = fields.Boolean("Daily service invoices without guarantee or credit line")
    has_annual_fee = fields.Boolean("Annual membership fee")
    annual_fee_amount = fields.Monetary("Annual membership fee amount")
    storage_at_cost = fields.Boolean(
        "Data storage passed on at cost", help="Otherwise shared: EOM / CTS x CT24PM (art. 5.6)."
    )
    insurance_deductible_max = fields.Monetary("Insurance deductible charged (max)")
    # change of regulation (art. 11.1), data (art. 4.3), fault (art. 9-10)
    contest_days = fields.Integer("Days to contest a regulation change", required=True, default=10)
    # SPEC 2.1.5 and 2.1.8: who joins without a staff decision, and when the journey reminds
    auto_accept_country_ids = fields.Many2many(
        "res.country",
        string="Countries accepted automatically",
        help="SPEC 2.1.5: a company located in one of these countries is accepted without a staff decision; "
        "any other waits for staff.",
    )
    join_reminder_days = fields.Integer("Reminder of an abandoned journey after (days)", required=True, default=7)
    vat_reminder_days = fields.Integer(
        "VAT number asked again every (days)",
        required=True,
        default=30,
        help="SPEC 2.1.8: a member that joined while being incorporated is asked for its VAT number.",
    )
    dispute_notice_days = fields.Integer(
        "Notice when a dispute persists (days)",
        default=15,
        help="Art. 6.3 and 11.1: either party may end the contract with this notice.",
    )
    formal_notice_hours = fields.Integer("Hours after a formal notice before suspension", default=48)
    fault_indemnity_months = fields.Integer("Fault indemnity (months of contribution)", default=3)
    fault_indemnity_min = fields.Monetary("Minimum fault indemnity", default=1000.0)
    non_solicitation_months = fields.Integer("Non-solicitation after the contract (months)", default=12)
    membership_ids = fields.One2many("coop.membership", "regulation_id")
    membership_count = fields.Integer(compute="_compute_membership_count")

    _code_uniq = models.Constraint("UNIQUE(code, company_id)", "A regulation code must be unique.")

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for regulation in self:
            regulation.currency_id = regulation.company_id.currency_id or self.env.company.currency_id

    @api.depends("membership_ids")
    def _compute_membership_count(self):
        counts = dict(
            self.env["coop.membership"]._read_group([("regulation_id", "in", self.ids)], ["regulation_id"], ["__count"])
        )
        for regulation in self:
            regulation.membership_count = counts.get(regulation, 0)

    @api.constrains("guarantee_min", "guarantee_max")
    def _check_guarantee_bounds(self):
        for regulation in self:
            if regulation.guarantee_min < 0 or regulation.guarantee_max < regulation.guarantee_min:
                raise ValidationError(self.env._("The guarantee bounds of %s are inconsistent.", regulation.name))

    @api.model
    def _get_current(self, on_date=None):
        """The regulation in force on ``on_date`` for new members (not affiliations)."""
        on_date = on_date or fields.Date.context_today(self)
        return self.search(
            [
                ("is_affiliation", "=", False),
                ("date_start", "<=", on_date),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            order="date_start desc",
            limit=1,
        )

    def _get_affiliation_deadline(self):
        """ROI 2021 art. 2 and 3: an affiliation contract is one concluded before the entry
        into force of the first regulation for members that followed it (ROI 2021: 1 May
        2021, art. 11.1). Returns that date, or False when no such regulation exists."""
        self.ensure_one()
        if not self.is_affiliation:
            return False
        following = self.search(
            [
                ("is_affiliation", "=", False),
                ("date_start", ">", self.date_start),
                ("company_id", "in", [False, *self.env.companies.ids]),
            ],
            order="date_start asc",
            limit=1,
        )
        return following.date_start

    def _check_affiliation_date(self, date_concluded, what):
        """ROI 2019 art. 3: refuse an affiliation concluded on or after the deadline."""
        self.ensure_one()
        deadline = self._get_affiliation_deadline()
        if deadline and date_concluded and date_concluded >= deadline:
            raise ValidationError(
                self.env._(
                    "ROI 2019 art. 3: %(what)s is dated %(date)s, but an affiliation under %(reg)s can only be "
                    "concluded before %(deadline)s. Since then, companies join as members under the current "
                    "regulation; an existing affiliate migrates to it by a transfer contract.",
                    what=what,
                    date=format_date(self.env, date_concluded, date_format="d MMMM y"),
                    reg=self.name,
                    deadline=format_date(self.env, deadline, date_format="d MMMM y"),
                )
            )

    def action_view_memberships(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("coop_24pm_membership.coop_membership_action")
        action["domain"] = [("regulation_id", "=", self.id)]
        return action

    def _coop_check_commitment(self, commitment):
        """An annual commitment only under a regulation that offers it."""
        if commitment == "annual" and not self.allow_annual_commitment:
            raise ValidationError(self.env._("The regulation %s offers monthly commitments only.", self.name))

    def _coop_accepts_automatically(self, country):
        """SPEC 2.1.5: whether a company located in ``country`` joins under this regulation
        without a staff decision."""
        self.ensure_one()
        return bool(country) and country in self.auto_accept_country_ids

    @api.model
    def _coop_older_than(self, field_name, delay_field, now, unit="days"):
        """The domain "``field_name`` is older than the regulation's ``delay_field``", for
        the records of every regulation at once (each its own delay)."""
        subtract = fields.Datetime.subtract if isinstance(now, datetime) else fields.Date.subtract
        return Domain.OR(
            Domain("regulation_id", "=", regulation.id)
            & Domain(field_name, "<", subtract(now, **{unit: regulation[delay_field]}))
            for regulation in self.with_context(active_test=False).search([])
        )
