from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_amount

from .coop_plan_rules import upgrade_gain

# What of a plan the Cooperative configuration check reads (its income accounts, in each
# company): a change of it clears the jobs' cached answer (res.company._coop_ready_companies)
PLAN_CONFIGURATION_FIELDS = frozenset({"contribution_account_id", "service_account_id", "company_id", "active"})

#: income account types accepted for the contribution and service income of a plan
PLAN_INCOME_TYPES = ("income", "income_other")
#: Belgian chart default of both (7001 Services in Belgium: 700100 in the company chart)
PLAN_INCOME_DEFAULT_PREFIX = "7001"


class CoopPlan(models.Model):
    """A support plan of a regulation (SPEC 3.1, art. 4.2). The shipped plans are data;
    staff may add plans and change their parameters."""

    _name = "coop.plan"
    _description = "Support plan"
    _order = "regulation_id, rank, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code, e.g. basic_2023.")
    active = fields.Boolean(default=True)
    regulation_id = fields.Many2one("coop.regulation", required=True, index=True, ondelete="restrict")
    rank = fields.Integer(
        required=True, default=10, help="Simple < Basic < Standard < Partner: a higher rank is an upgrade."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)
    monthly_fee = fields.Monetary(
        "Default monthly contribution", help="Written on new contracts; each contract keeps its own amount."
    )
    margin = fields.Float("Commercial margin", digits=(5, 4), help="Surcharge on the group rate: 0.38 for 38 %.")
    request_delay_days = fields.Integer("Requests handled within (days)", help="0 with no planning guarantee.")
    request_handling = fields.Selection(
        [
            ("none", "No planning guarantee"),
            ("delay", "Within the delay"),
            ("priority", "Priority"),
            ("agreement", "Per agreement"),
        ],
        default="delay",
        required=True,
    )
    meeting_quota = fields.Integer("Strategic meetings included", help="Per quota period; 0 = none included.")
    meeting_period = fields.Selection(
        [("month", "Per month"), ("quarter", "Per quarter")], default="month", required=True
    )
    meeting_max_hours = fields.Float("Maximum meeting duration (h)", help="0 = no limit. Time beyond is billed.")
    meetings_unlimited = fields.Boolean(
        "Strategic follow-up included without limit", help="Strategic council or follow-up per agreement."
    )
    has_shared_services = fields.Boolean("Shared services")
    free_study_reports = fields.Integer("Free strategic study reports per year")
    study_report_hours = fields.Float("Strategist hours billed per study report", default=10.0)
    study_reports_on_request = fields.Boolean(
        "Study reports on request", help="The member may order strategic study reports from its portal (2023 plans)."
    )
    trial_months = fields.Integer("Trial (months)", help="Partenaire 2021: 6 months.")
    trial_fallback_plan_id = fields.Many2one(
        "coop.plan",
        "Plan after the trial",
        help="The member moves to this plan the day after the trial unless 24PM took equity in its company.",
    )
    allows_equity_stake = fields.Boolean(
        "24PM may take equity",
        help="ROI 2021 art. 4.4.2: during the trial of the Partner plan, 24PM may invite the member to "
        "transfer shares of its company to 24PM at EUR 1 each under a shareholders' agreement.",
    )
    product_id = fields.Many2one(
        "product.product", "Invoicing product", required=True, ondelete="restrict", domain=[("type", "=", "service")]
    )
    contribution_account_id = fields.Many2one(
        "account.account",
        "Contribution income account",
        company_dependent=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the contributions of this plan (Belgian chart: 700100 Services in Belgium when empty).",
    )
    service_account_id = fields.Many2one(
        "account.account",
        "Service income account",
        company_dependent=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the services, expenses and commercial margin billed to the members of this plan "
        "(Belgian chart: 700100 Services in Belgium when empty).",
    )
    contract_template_id = fields.Many2one(
        "contract.template",
        "Contract template",
        ondelete="restrict",
        copy=False,
        help="OCA contract template of the plan: its contribution line and the annual membership fee line "
        "(recurrence, product, default price), copied on the members' contracts.",
    )
    description = fields.Html(translate=True)
    note = fields.Text("Other conditions", translate=True)

    _code_uniq = models.Constraint("UNIQUE(code, company_id)", "A plan code must be unique.")
    _margin_range = models.Constraint("CHECK(margin >= 0 AND margin < 10)", "The margin is a fraction, e.g. 0.38.")

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._coop_configuration_changed()
        plans = super().create(vals_list)
        plans._coop_sync_contract_template()
        return plans

    def write(self, vals):
        if PLAN_CONFIGURATION_FIELDS & set(vals):
            self.env["res.company"]._coop_configuration_changed()
        res = super().write(vals)
        if {"name", "product_id", "monthly_fee", "company_id"} & set(vals):
            self._coop_sync_contract_template()
        return res

    def unlink(self):
        self.env["res.company"]._coop_configuration_changed()
        return super().unlink()

    def _coop_template_line_vals(self):
        """The lines of the plan's contract template: the monthly contribution, pre-paid,
        and the yearly annual membership fee (ROI 2023, kept on contracts of a regulation
        that has one)."""
        self.ensure_one()
        return [
            {
                "sequence": 10,
                "coop_kind": "plan",
                "product_id": self.product_id.id,
                "name": self.product_id.display_name or self.name,
                "quantity": 1.0,
                "automatic_price": False,
                "price_unit": self.monthly_fee,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
            },
            {
                "sequence": 20,
                "coop_kind": "annual_fee",
                "product_id": self.env.ref("coop_24pm_plans.product_annual_fee").id,
                "name": self.env._("Annual membership fee"),
                "quantity": 1.0,
                "automatic_price": False,
                "price_unit": self.regulation_id.annual_fee_amount,
                "recurring_rule_type": "yearly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
            },
        ]

    def _coop_sync_contract_template(self):
        """Create or update the plan's OCA ``contract.template`` (one per plan)."""
        Template = self.env["contract.template"].sudo()
        for plan in self:
            if not plan.product_id:
                continue
            template_vals = {
                "name": plan.name,
                "company_id": (plan.company_id or self.env.company).id,
                "contract_type": "sale",
                "line_recurrence": True,
            }
            template = plan.sudo().contract_template_id
            if not template:
                template_vals["contract_line_ids"] = [Command.create(vals) for vals in plan._coop_template_line_vals()]
                plan.sudo().contract_template_id = Template.create(template_vals)
                continue
            template.write(template_vals)
            for vals in plan._coop_template_line_vals():
                line = template.contract_line_ids.filtered(lambda t, k=vals["coop_kind"]: t.coop_kind == k)[:1]
                if line:
                    line.write(vals)
                else:
                    template.contract_line_ids = [Command.create(vals)]

    def _coop_template_line(self, kind):
        """The line of kind ``kind`` (``plan`` or ``annual_fee``) of the plan's template."""
        self.ensure_one()
        if not self.sudo().contract_template_id:
            self._coop_sync_contract_template()
        return self.sudo().contract_template_id.contract_line_ids.filtered(lambda t: t.coop_kind == kind)[:1]

    def _coop_portal_option_label(self):
        """How the plan-change form offers this plan: its name and monthly fee in the
        reader's language (issue 22)."""
        self.ensure_one()
        return self.env._(
            "%(plan)s · %(fee)s per month",
            plan=self.name,
            fee=format_amount(self.env, self.monthly_fee, self.currency_id),
        )

    @api.constrains("monthly_fee", "meeting_quota", "trial_months")
    def _check_positive(self):
        for plan in self:
            if plan.monthly_fee < 0 or plan.meeting_quota < 0 or plan.trial_months < 0:
                raise ValidationError(
                    self.env._("The fee, the meeting quota and the trial of %s cannot be negative.", plan.name)
                )

    def _coop_check_chosen_under(self, regulation):
        """A plan is chosen among its regulation's plans (the membership's and the
        application's rule, SPEC 2.1.3)."""
        for plan in self:
            if plan.regulation_id != regulation:
                raise ValidationError(
                    self.env._(
                        "The plan %(plan)s belongs to another regulation than %(reg)s.",
                        plan=plan.display_name,
                        reg=regulation.name,
                    )
                )

    @api.model
    def _coop_check_contribution(self, currency, amount):
        """The contribution written on a contract (membership or application) is never negative."""
        if currency.compare_amounts(amount, 0.0) < 0:
            raise ValidationError(self.env._("A contribution cannot be negative."))

    @api.constrains("contribution_account_id", "service_account_id")
    def _check_income_accounts(self):
        for plan in self:
            for field_name in ("contribution_account_id", "service_account_id"):
                account = plan[field_name]
                if account and account.account_type not in PLAN_INCOME_TYPES:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of the plan %(plan)s: %(account)s is of type %(type)s; expected %(expected)s.",
                            field=self._fields[field_name].get_description(self.env)["string"],
                            plan=plan.display_name,
                            account=account.display_name,
                            type=account.account_type,
                            expected=", ".join(PLAN_INCOME_TYPES),
                        )
                    )

    def _coop_get_income_account(self, field_name, company=None):
        """The plan's income account (``contribution_account_id`` or ``service_account_id``)
        in ``company``: the one set on the plan, else the Belgian chart's 700100."""
        self.ensure_one()
        company = company or self.company_id or self.env.company
        account = self.with_company(company)[field_name] or company._coop_chart_account(
            PLAN_INCOME_DEFAULT_PREFIX, PLAN_INCOME_TYPES
        )
        label = self._fields[field_name].get_description(self.env)["string"]
        if not account:
            raise UserError(
                self.env._(
                    "Set the %(label)s of the plan %(plan)s (no account 700100 in the chart of %(company)s).",
                    label=label.lower(),
                    plan=self.display_name,
                    company=company.name,
                )
            )
        if account.account_type not in PLAN_INCOME_TYPES:
            raise UserError(
                self.env._(
                    "The %(label)s of the plan %(plan)s, %(account)s, must be an income account.",
                    label=label.lower(),
                    plan=self.display_name,
                    account=account.display_name,
                )
            )
        return account

    @api.depends("name", "regulation_id")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = f"{plan.name} ({plan.regulation_id.name})" if plan.regulation_id else plan.name

    def _get_higher_plans(self):
        """Plans of the same regulation with a higher rank (SPEC 3.2: ranks)."""
        self.ensure_one()
        return self.search(
            [
                ("regulation_id", "=", self.regulation_id.id),
                ("rank", ">", self.rank),
                ("company_id", "in", [False, self.company_id.id]),
            ]
        )

    @api.model
    def _coop_plan_on_date_resolver(self, membership):
        """A function ``date -> plan in force on that date`` for ``membership``, cached per
        date (the income of its services per plan: Cooperative settings, management report)."""
        membership.ensure_one()
        cache = {}

        def plan_of(day):
            if day not in cache:
                cache[day] = membership._get_plan_on(day) or self.browse()
            return cache[day]

        return plan_of

    @api.model
    def _coop_get_upgrade_advice(self, membership, on_date=None):
        """From the consumption billed to ``membership`` over the regulation's
        ``upgrade_advice_months`` (3), the higher plan that would have cost less (fee
        difference against margin saved), with the yearly saving (SPEC 3.3)."""
        membership.ensure_one()
        if not membership.is_member or not membership.plan_id:
            return False
        currency = membership.currency_id
        months = membership.regulation_id.upgrade_advice_months
        on_date = on_date or fields.Date.context_today(self)
        date_from = on_date - relativedelta(months=months)
        current_plan = membership._get_plan_on(on_date)
        consumption = self.env["account.move"]._coop_billed_consumption(membership, date_from, on_date)
        if float_compare(consumption, 0.0, precision_rounding=currency.rounding) <= 0:
            return False
        current_fee = membership._get_monthly_contribution()
        best = False
        for plan in current_plan._get_higher_plans():
            gain = currency.round(
                upgrade_gain(consumption, current_plan.margin, current_fee, plan.margin, plan.monthly_fee, months)
            )
            if float_compare(gain, 0.0, precision_rounding=currency.rounding) > 0 and (not best or gain > best["gain"]):
                best = {"plan": plan, "gain": gain}
        if not best:
            return False
        best["yearly_saving"] = currency.round(best["gain"] * 12 / months)
        best["message"] = self.env._(
            "Upgrading to the %(plan)s plan is in your financial interest: with the services billed over the "
            "last %(months)s months, you would save about %(amount)s a year.",
            plan=best["plan"].name,
            months=months,
            amount=format_amount(self.env, best["yearly_saving"], currency),
        )
        return best
