from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, float_round

from .coop_billing_rules import billable_amount, service_invoice_due


class CoopMembership(models.Model):
    _inherit = "coop.membership"

    coop_project_ids = fields.One2many("project.project", "coop_membership_id", "Projects")
    coop_expense_ids = fields.One2many("coop.expense", "membership_id", "Expenses")
    coop_last_service_invoice_date = fields.Date("Last service invoice", readonly=True, copy=False)
    coop_uninvoiced_amount = fields.Monetary("Next service invoice (so far)", compute="_compute_coop_uninvoiced_amount")
    coop_service_invoice_count = fields.Integer(compute="_compute_coop_service_invoice_count")
    coop_settlement_id = fields.Many2one(
        "coop.membership.settlement",
        "Final settlement",
        compute="_compute_coop_settlement_id",
        help="SPEC 7.4: the settlement issued at the end of the contract.",
    )
    coop_settlement_state = fields.Selection(
        [("draft", "To settle"), ("done", "Settled")], "Settlement", compute="_compute_coop_settlement_id"
    )
    coop_insurance_claim_ids = fields.One2many("coop.insurance.claim", "membership_id", "Insurance claims")
    coop_insurance_claim_count = fields.Integer(
        "Number of insurance claims", compute="_compute_coop_insurance_claim_count"
    )
    coop_charges_insurance_deductible = fields.Boolean(
        "Charges the insurance deductible",
        compute="_compute_coop_insurance_claim_count",
        help="Art. 5.5: the member's regulation charges it the insurance deductible of the claims it causes.",
    )

    def _compute_coop_insurance_claim_count(self):
        counts = dict(
            self.env["coop.insurance.claim"]._read_group(
                [("membership_id", "in", self.ids)], ["membership_id"], ["__count"]
            )
        )
        for membership in self:
            membership.coop_insurance_claim_count = counts.get(membership, 0)
            membership.coop_charges_insurance_deductible = membership.regulation_id.insurance_deductible_max > 0

    def action_view_coop_insurance_claims(self):
        """Art. 5.5: the claims caused by the member, and a new one."""
        self.ensure_one()
        xmlid = "coop_24pm_timesheet_billing.coop_insurance_claim_action"
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("membership_id", "=", self.id)]
        action["context"] = {"default_membership_id": self.id}
        return action

    def _compute_coop_settlement_id(self):
        settlements = {
            s.membership_id.id: s
            for s in self.env["coop.membership.settlement"].sudo().search([("membership_id", "in", self.ids)])
        }
        for membership in self:
            settlement = settlements.get(membership.id, self.env["coop.membership.settlement"])
            membership.coop_settlement_id = settlement
            membership.coop_settlement_state = settlement.state or False

    def _compute_coop_uninvoiced_amount(self):
        amounts = self._coop_get_uninvoiced_amounts()
        for membership in self:
            membership.coop_uninvoiced_amount = amounts.get(membership.id, 0.0)

    def _compute_coop_service_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("coop_membership_id", "in", self.ids), ("coop_is_service_invoice", "=", True)],
                ["coop_membership_id"],
                ["__count"],
            )
        )
        for membership in self:
            membership.coop_service_invoice_count = counts.get(membership, 0)

    # ------------------------------------------------------------------
    # the next invoice being built (trust account hook)
    # ------------------------------------------------------------------
    def _get_uninvoiced_amount(self):
        """Billable timesheets and expenses not invoiced yet (two aggregate queries)."""
        self.ensure_one()
        return self._coop_get_uninvoiced_amounts().get(self.id, 0.0)

    def _coop_get_uninvoiced_amounts(self):
        """{membership id: untaxed amount of the service invoice that would be issued now}
        for ``self`` (or every member when empty); see ``_coop_price_uninvoiced``."""
        return {member_id: amount for member_id, (amount, _first) in self._coop_price_uninvoiced().items()}

    def _coop_price_uninvoiced(self):
        """{membership id: (untaxed amount, date of the oldest uninvoiced timesheet or None)}
        for ``self`` (or every member when empty): the billable timesheets, expenses and
        extra services priced by the billing engine's own function
        (``coop.billing.run.line._price_service_invoice``), so the figure shown and the
        invoice issued agree to the cent. A constant number of queries, whatever the
        number of members and lines."""
        return self._coop_price_uninvoiced_with_facts(with_facts=False)[0]

    def _coop_price_uninvoiced_with_facts(self, with_facts=True):
        """``(_coop_price_uninvoiced(), {membership id: _coop_due_facts()})``: with the facts
        of the due rule read first (one query), the amounts are rounded with the currency's
        rounding they give, without loading the members, their companies and currencies."""
        scope = self if self else None
        Engine = self.env["coop.billing.run.line"].sudo()
        groups = Engine._group_billable_timesheets(scope, lock=False)
        expenses, items = self._coop_get_billable_extras(scope)
        expenses_by_member, items_by_member = expenses.grouped("membership_id"), items.grouped("membership_id")
        # the extra services of every member priced at once (one rate table)
        item_prices = self.browse()._coop_price_strategy_items(items)
        members = self.sudo().browse(
            sorted(set(groups) | set(expenses.membership_id.ids) | set(items.membership_id.ids))
        )
        facts = members._coop_due_facts() if with_facts else {}
        result = {}
        for membership in members:
            member_groups = groups.get(membership.id, [])
            priced = Engine._price_service_invoice(
                membership,
                member_groups,
                expenses_by_member.get(membership, expenses.browse()),
                items_by_member.get(membership, items.browse()),
                item_prices=item_prices,
                rounding=facts[membership.id]["rounding"] if facts else None,
            )
            first = min((group["first_date"] for group in member_groups), default=None)
            result[membership.id] = (priced["total"], first)
        return result, facts

    def _coop_get_billable_extras(self, memberships=None):
        """(expenses, extra strategist services) not invoiced yet of ``memberships`` (every
        member when ``None``), in one query, each ordered by member, date and id."""
        Expense = self.env["coop.expense"].sudo()
        Item = self.env["coop.strategy.item"].sudo()
        parts = []
        for kind, model, domain in (
            ("expense", Expense, Expense._coop_billable_domain(memberships)),
            ("item", Item, self._coop_strategy_items_domain(memberships)),
        ):
            query = model._search(domain)
            parts.append(
                SQL(
                    "(SELECT %(kind)s, %(id)s, %(member)s, %(date)s FROM %(from)s WHERE %(where)s)",
                    kind=kind,
                    id=SQL.identifier(model._table, "id"),
                    member=SQL.identifier(model._table, "membership_id"),
                    date=SQL.identifier(model._table, "date"),
                    **{"from": query.from_clause, "where": query.where_clause},
                )
            )
        rows = self.env.execute_query(SQL("%s UNION ALL %s ORDER BY 3, 4, 2", *parts))
        return (
            Expense.browse([row[1] for row in rows if row[0] == "expense"]),
            Item.browse([row[1] for row in rows if row[0] == "item"]),
        )

    # ------------------------------------------------------------------
    # extra strategist services left by coop_24pm_plans (coop.strategy.item)
    # ------------------------------------------------------------------
    def _coop_strategy_items_domain(self, memberships=None):
        # SPEC 7.4: billed as the time and expenses are (a suspended member's before its suspension)
        domain = Domain("billable_hours", ">", 0) & Domain("invoice_line_id", "=", False)
        domain &= self.env["coop.membership"]._coop_billable_service_domain("membership_id", "date")
        if memberships is not None:
            domain &= Domain("membership_id", "in", memberships.ids)
        return domain

    def _coop_get_strategy_items(self, memberships=None):
        """Strategic follow-up beyond the plan, not invoiced yet (coop_24pm_plans)."""
        Item = self.env["coop.strategy.item"].sudo()
        return Item.search(self._coop_strategy_items_domain(memberships), order="membership_id, date, id")

    def _coop_price_strategist_hours(self, hours, on_date):
        """Strategist hours beyond the plan at the strategist group rate of the member on
        ``on_date`` plus the plan's margin, as ``_coop_price_strategy_items`` bills them."""
        self.ensure_one()
        strategist = self.env.ref("coop_24pm_timesheet_billing.category_strategist")
        product = self.env.ref("coop_24pm_plans.product_strategist_hour")
        Rate = self.env["coop.group.rate"].sudo()
        RateMember = self.env["coop.rate.change.member"]
        on_rate_date = RateMember._coop_rate_date(RateMember._coop_rate_holds(self), self, product, strategist, on_date)
        rate = Rate._lookup(Rate._get_rate_table(product, strategist), product, strategist, on_rate_date)
        if rate is None:
            return super()._coop_price_strategist_hours(hours, on_date)
        return self.currency_id.round(hours * rate * (1.0 + (self._get_plan_margin(on_date) or 0.0)))

    def _coop_hourly_rate_billed(self, employee, product, on_date):
        """Art. 4.7, 8.3.1: what one hour of ``employee`` on ``product`` is billed to this
        member on ``on_date``, priced as a timesheet line is (``account.analytic.line.
        _coop_get_prices``): the group rate of the collaborator's category (the old
        rate while the member's notice of a new one runs, SPEC 7.3) or the purchase price
        of an external collaborator, times (1 + the plan's margin), to the cent. None when
        the service has no group rate for the category."""
        self.ensure_one()
        category = employee.coop_category_id
        if not category:
            return None
        if category.is_external:
            rate = employee.coop_purchase_price
        else:
            Rate = self.env["coop.group.rate"].sudo()
            table, _suspended, holds = Rate._get_pricing_tables(product, category, self)
            rate_date = self.env["coop.rate.change.member"]._coop_rate_date(holds, self, product, category, on_date)
            rate = Rate._lookup(table, product, category, rate_date)
            if rate is None:
                return None
        margin = self._get_plan_margin(on_date) or 0.0
        return billable_amount(1.0, rate, margin, self.currency_id.rounding or 0.01)

    def _coop_price_strategy_items(self, items):
        """{item: (strategist group rate, margin, amount)}: billable hours x the strategist
        rate on the item's date x (1 + margin of the plan then in force)."""
        if not items:
            return {}
        strategist = self.env.ref("coop_24pm_timesheet_billing.category_strategist")
        Rate = self.env["coop.group.rate"].sudo()
        table = Rate._get_rate_table(items.product_id, strategist)
        RateMember = self.env["coop.rate.change.member"]
        holds = RateMember._coop_rate_holds(items.membership_id)
        priced = {}
        for item in items:
            on_date = RateMember._coop_rate_date(holds, item.membership_id, item.product_id, strategist, item.date)
            rate = Rate._lookup(table, item.product_id, strategist, on_date)
            if rate is None:
                rate = item.product_id.lst_price
            margin = item.membership_id._get_plan_margin(item.date) or 0.0
            currency = item.membership_id.currency_id
            priced[item] = (rate, margin, currency.round(item.billable_hours * rate * (1.0 + margin)))
        return priced

    # ------------------------------------------------------------------
    # threshold invoicing (art. 6.2)
    # ------------------------------------------------------------------
    def _coop_due_facts(self):
        """{membership id: what the due rule (art. 6.2) reads of the member} in one query:
        ``last_invoice`` (date of the last service invoice), ``every_days`` and
        ``daily_without_guarantee`` (its regulation), ``rounding`` (its currency's),
        ``credit_line`` (its credit limit is set, ``has_credit_line``) and ``guarantee``
        (held: the credit balance of the company's deposits account for the member, as
        ``_get_guarantee_balances`` reads it). The members of a company whose deposits
        account is not set in the Cooperative settings get their guarantee from
        ``_get_guarantees_paid`` (its default account)."""
        if not self:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, m.coop_last_service_invoice_date, r.service_invoice_days,
                       r.daily_invoice_without_guarantee, cur.rounding,
                       COALESCE((partner.credit_limit->>(m.company_id::text))::float, 0),
                       account.id IS NOT NULL, -COALESCE(guarantee.balance, 0)
                  FROM coop_membership m
                  JOIN res_company company ON company.id = m.company_id
                  JOIN res_currency cur ON cur.id = company.currency_id
                  JOIN res_partner partner ON partner.id = m.partner_id
             LEFT JOIN coop_regulation r ON r.id = m.regulation_id
             LEFT JOIN account_account account
                    ON account.id = company.coop_guarantee_account_id AND account.account_type LIKE 'liability%%'
             LEFT JOIN LATERAL (
                       SELECT SUM(aml.balance) AS balance
                         FROM account_move_line aml
                        WHERE aml.account_id = account.id AND aml.parent_state = 'posted'
                          AND aml.company_id = m.company_id AND aml.partner_id = m.partner_id
                   ) guarantee ON account.id IS NOT NULL
                 WHERE m.id = ANY(%s)
                """,
                self.ids,
            )
        )
        facts, unset = {}, []
        for member_id, last, days, daily, rounding, credit, known, balance in rows:
            facts[member_id] = {
                "last_invoice": last,
                "every_days": days,
                "daily_without_guarantee": bool(daily),
                "rounding": rounding or 0.01,
                "credit_line": float_compare(credit, 0.0, precision_digits=2) > 0,
                "guarantee": float_round(balance, precision_rounding=rounding or 0.01),
            }
            if not known:
                unset.append(member_id)
        if unset:
            for member_id, paid in self.browse(unset)._get_guarantees_paid().items():
                facts[member_id]["guarantee"] = paid
        return facts

    def _coop_is_service_invoice_due(self, today, uninvoiced, first_work_date=None, guarantee_paid=None, facts=None):
        """Art. 6.2 for this member (``service_invoice_due``), from ``_coop_due_facts``."""
        self.ensure_one()
        facts = facts or self._coop_due_facts()[self.id]
        return service_invoice_due(
            today,
            facts["last_invoice"],
            uninvoiced,
            facts["guarantee"] if guarantee_paid is None else guarantee_paid or 0.0,
            facts["credit_line"],
            every_days=facts["every_days"],
            daily_without_guarantee=facts["daily_without_guarantee"],
            rounding=facts["rounding"],
            first_work_date=first_work_date,
        )

    @api.model
    def _coop_get_due_memberships(self, today):
        """The members whose service invoice is due on ``today`` (art. 6.2), in three
        queries whatever the number of members and lines: one aggregate over the billable
        timesheets, one over the expenses and extra services not invoiced yet, one for the
        facts of the rule (``_coop_due_facts``: the members' last invoice, regulation,
        currency, credit line and guarantee held)."""
        priced, facts = self.browse()._coop_price_uninvoiced_with_facts()
        due_ids = []
        for member_id, (amount, first_work) in priced.items():
            if amount <= 0:
                continue
            member_facts = facts[member_id]
            if self.browse(member_id)._coop_is_service_invoice_due(
                today,
                amount,
                # before the first service invoice, the days run from the oldest uninvoiced work
                None if member_facts["last_invoice"] else first_work,
                facts=member_facts,
            ):
                due_ids.append(member_id)
        return self.browse(due_ids)

    def action_coop_invoice_now(self):
        """Staff: issue the service invoice of these members now, whatever the rhythm
        (a billing run of these members, processed at once)."""
        run = self.env["coop.billing.run"]._create_for_members(self)
        run.action_process_now()
        failed = run.line_ids.filtered(lambda line: line.state in ("failed", "skipped"))
        if failed and len(self) == 1:
            raise UserError(failed.message)
        invoices = run.line_ids.move_id
        if not invoices:
            raise UserError(
                self.env._("Nothing to invoice: no uninvoiced work or expense (or another run is invoicing it).")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Service invoices"),
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
        }

    # ------------------------------------------------------------------
    # final settlement (SPEC 7.4)
    # ------------------------------------------------------------------
    def _coop_on_terminate(self):
        """SPEC 7.4: the end of a membership settles it. The final invoices come first, so
        that the draws on the guarantee the termination makes see them; then the
        settlement sets off, draws, pays out and records its documents. Applications
        that end before the register (refused, withdrawn) have nothing to settle."""
        members = self.filtered(
            lambda m: m.date_registered and m.termination_id.termination_type in ("notice", "fault")
        )
        settlements = self.env["coop.membership.settlement"]._get_or_create(members)
        settlements._settle_invoices()
        res = super()._coop_on_terminate()
        settlements.action_settle()
        return res

    def action_coop_settle(self):
        """Staff: settle the membership at its end date. A membership whose notice has run
        out is terminated (which settles it); a terminated one gets what is missing of
        its settlement. Running it twice settles once."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.state == "notice" and self.date_end and self.date_end <= today:
            self.action_terminate(date=self.date_end, termination_type="notice")
        elif self.state == "terminated" and self.date_registered:
            self.env["coop.membership.settlement"]._get_or_create(self).action_settle()
        else:
            raise UserError(
                self.env._(
                    "%(ref)s is settled at the end of its contract: give notice or terminate it first; a contract "
                    "under notice is settled from its end date.",
                    ref=self.name,
                )
            )
        return self.action_view_coop_settlement()

    def action_view_coop_settlement(self):
        self.ensure_one()
        if not self.coop_settlement_id:
            raise UserError(self.env._("%s has no final settlement yet.", self.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership.settlement",
            "res_id": self.coop_settlement_id.id,
            "view_mode": "form",
            "name": self.coop_settlement_id.name,
        }

    def action_view_coop_service_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Service invoices"),
            "view_mode": "list,form",
            "domain": [("coop_membership_id", "=", self.id), ("coop_is_service_invoice", "=", True)],
            "context": {"default_move_type": "out_invoice"},
        }
