from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, float_is_zero, float_round

from odoo.addons.coop_24pm_membership.models.coop_membership import SERVING_STATES

from .coop_billing_rules import billable_amount, service_invoice_due

#: SPEC 7.4 "service invoices": the states whose work is billable whatever its date (a
#: suspended member's only before its suspension; the end date stops the rest)
SERVICE_BILLABLE_STATES = (*SERVING_STATES, "notice", "terminated")


class CoopServicePricing(models.AbstractModel):
    """The billing engine's pricing and due rule of the service invoice (art. 6.2): what
    the next service invoice of a member would be now (the work, expenses and extra
    services not invoiced yet, priced as the billing run invoices them), what an hour
    of a collaborator or of the strategist is billed, and which members are due. Used
    by the billing run, the portal and the member's form; every function takes the
    members it prices."""

    _inherit = "coop.service.pricing"

    @api.model
    def _coop_billable_service_domain(self, membership_field, date_field):
        """The domain form of ``coop.membership._coop_is_billable("service", date)`` for
        records (time, expenses) of a member on a date: no application; a suspended member's
        work before its suspension only. Time after an end date is refused when it is logged.

        One SQL condition on the member's row (``EXISTS``, not a join: the billing locks
        what this domain selects, ``FOR NO KEY UPDATE``), built without a query."""

        def to_sql(model, alias, query):
            model.flush_model([membership_field, date_field])
            model.env["coop.membership"].flush_model(["state", "suspension_id"])
            model.env["coop.membership.suspension"].flush_model(["date_suspended"])
            # a suspended member without its episode's date (legacy) is billed as before
            return SQL(
                "EXISTS (SELECT 1 FROM coop_membership coop_billable_m LEFT JOIN coop_membership_suspension "
                "coop_billable_s ON coop_billable_s.id = coop_billable_m.suspension_id "
                "WHERE coop_billable_m.id = %(member)s "
                "AND (coop_billable_m.state IN %(states)s OR (coop_billable_m.state = 'suspended' "
                "AND (coop_billable_s.date_suspended IS NULL OR %(date)s < coop_billable_s.date_suspended))))",
                member=SQL.identifier(alias, membership_field),
                date=SQL.identifier(alias, date_field),
                states=SERVICE_BILLABLE_STATES,
            )

        def predicate(record):
            membership = record[membership_field]
            if not membership:
                return False
            if membership.state in SERVICE_BILLABLE_STATES:
                return True
            on_date = record[date_field]
            date_suspended = membership.suspension_id.date_suspended
            return membership.state == "suspended" and (
                not date_suspended or bool(on_date) and on_date < date_suspended
            )

        return Domain.custom(to_sql=to_sql, predicate=predicate)

    @api.model
    def _get_service_taxes(self, membership):
        """(taxes, fiscal position) of the member's service lines: the company's sale tax
        mapped by the member's fiscal position, as on any Odoo invoice (a company of another
        EU country with its VAT number: the intra-Community reverse charge)."""
        company = membership.company_id
        FiscalPosition = self.env["account.fiscal.position"].sudo()
        if FiscalPosition.env.company != company:
            FiscalPosition = FiscalPosition.with_company(company)
        fiscal_position = FiscalPosition._get_fiscal_position(membership.partner_id.commercial_partner_id)
        taxes = fiscal_position.map_tax(company.account_sale_tax_id)
        return taxes, fiscal_position

    @api.model
    def _coop_with_service_tax(self, membership, untaxed):
        """``untaxed`` with the VAT of the member's service invoice (the taxes the billing
        run puts on it, ``_get_service_taxes``), in the currency's rounding."""
        currency = membership.currency_id
        if float_is_zero(untaxed, precision_rounding=currency.rounding):
            return 0.0
        taxes, _fiscal_position = self._get_service_taxes(membership)
        if not taxes:
            return currency.round(untaxed)
        return currency.round(taxes.compute_all(untaxed, currency=currency)["total_included"])

    # ------------------------------------------------------------------
    # the next invoice being built (trust account hook)
    # ------------------------------------------------------------------
    @api.model
    def _get_uninvoiced_amount(self, membership):
        """Billable timesheets and expenses of ``membership`` not invoiced yet (two
        aggregate queries)."""
        membership.ensure_one()
        return self._get_uninvoiced_amounts(membership).get(membership.id, 0.0)

    @api.model
    def _get_uninvoiced_amounts(self, memberships=None):
        """{membership id: untaxed amount of the service invoice that would be issued now}
        for ``memberships`` (every member when ``None``); see ``_price_uninvoiced``."""
        return {member_id: amount for member_id, (amount, _first) in self._price_uninvoiced(memberships).items()}

    @api.model
    def _price_uninvoiced(self, memberships=None):
        """{membership id: (untaxed amount, date of the oldest uninvoiced timesheet or None)}
        for ``memberships`` (every member when ``None``): the billable timesheets, expenses
        and extra services priced by the billing engine's own function
        (``coop.billing.run.line._price_service_invoice``), so the figure shown and the
        invoice issued agree to the cent. A constant number of queries, whatever the
        number of members and lines."""
        return self._price_uninvoiced_with_facts(memberships, with_facts=False)[0]

    @api.model
    def _price_uninvoiced_with_facts(self, memberships=None, with_facts=True):
        """``(_price_uninvoiced(), {membership id: _get_due_facts()})``: with the facts of the
        due rule read first (one query), the amounts are rounded with the currency's
        rounding they give, without loading the members, their companies and currencies."""
        if memberships is not None and not memberships:
            return {}, {}
        Engine = self.env["coop.billing.run.line"].sudo()
        groups = Engine._group_billable_timesheets(memberships, lock=False)
        expenses, items = self._get_billable_extras(memberships)
        expenses_by_member, items_by_member = expenses.grouped("membership_id"), items.grouped("membership_id")
        # the extra services of every member priced at once (one rate table)
        item_prices = self._price_strategy_items(items)
        members = (
            self.env["coop.membership"]
            .sudo()
            .browse(sorted(set(groups) | set(expenses.membership_id.ids) | set(items.membership_id.ids)))
        )
        facts = self._get_due_facts(members) if with_facts else {}
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

    @api.model
    def _get_billable_extras(self, memberships=None):
        """(expenses, extra strategist services) not invoiced yet of ``memberships`` (every
        member when ``None``), in one query, each ordered by member, date and id."""
        Expense = self.env["coop.expense"].sudo()
        Item = self.env["coop.strategy.item"].sudo()
        parts = []
        for kind, model, domain in (
            ("expense", Expense, Expense._coop_billable_domain(memberships)),
            ("item", Item, self._get_strategy_items_domain(memberships)),
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
    @api.model
    def _get_strategy_items_domain(self, memberships=None):
        # SPEC 7.4: billed as the time and expenses are (a suspended member's before its suspension)
        domain = Domain("billable_hours", ">", 0) & Domain("invoice_line_id", "=", False)
        domain &= self._coop_billable_service_domain("membership_id", "date")
        if memberships is not None:
            domain &= Domain("membership_id", "in", memberships.ids)
        return domain

    @api.model
    def _get_strategy_items(self, memberships=None):
        """Strategic follow-up beyond the plan, not invoiced yet (coop_24pm_plans)."""
        Item = self.env["coop.strategy.item"].sudo()
        return Item.search(self._get_strategy_items_domain(memberships), order="membership_id, date, id")

    @api.model
    def _price_strategist_hours(self, membership, hours, on_date):
        """Strategist hours beyond the plan at the strategist group rate of ``membership``
        on ``on_date`` plus the plan's margin, as ``_price_strategy_items`` bills them."""
        membership.ensure_one()
        strategist = self.env.ref("coop_24pm_timesheet_billing.category_strategist")
        product = self.env.ref("coop_24pm_plans.product_strategist_hour")
        Rate = self.env["coop.group.rate"].sudo()
        RateMember = self.env["coop.rate.change.member"]
        holds = RateMember._coop_rate_holds(membership)
        on_rate_date = RateMember._coop_rate_date(holds, membership, product, strategist, on_date)
        rate = Rate._lookup(Rate._get_rate_table(product, strategist), product, strategist, on_rate_date)
        if rate is None:
            return super()._price_strategist_hours(membership, hours, on_date)
        return membership.currency_id.round(hours * rate * (1.0 + (membership._get_plan_margin(on_date) or 0.0)))

    @api.model
    def _get_hourly_rate_billed(self, membership, employee, product, on_date):
        """Art. 4.7, 8.3.1: what one hour of ``employee`` on ``product`` is billed to
        ``membership`` on ``on_date``, priced as a timesheet line is
        (``account.analytic.line._coop_get_prices``): the group rate of the collaborator's
        category (the old rate while the member's notice of a new one runs, SPEC 7.3) or
        the purchase price of an external collaborator, times (1 + the plan's margin), to
        the cent. None when the service has no group rate for the category."""
        membership.ensure_one()
        category = employee.coop_category_id
        if not category:
            return None
        if category.is_external:
            rate = employee.coop_purchase_price
        else:
            Rate = self.env["coop.group.rate"].sudo()
            table, _suspended, holds = Rate._get_pricing_tables(product, category, membership)
            RateMember = self.env["coop.rate.change.member"]
            rate_date = RateMember._coop_rate_date(holds, membership, product, category, on_date)
            rate = Rate._lookup(table, product, category, rate_date)
            if rate is None:
                return None
        margin = membership._get_plan_margin(on_date) or 0.0
        return billable_amount(1.0, rate, margin, membership.currency_id.rounding or 0.01)

    @api.model
    def _price_strategy_items(self, items):
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
    @api.model
    def _get_due_facts(self, memberships):
        """{membership id: what the due rule (art. 6.2) reads of the member} in one query:
        ``last_invoice`` (the latest invoice date of its posted service invoices: a
        cancelled one no longer counts), ``every_days`` and
        ``daily_without_guarantee`` (its regulation), ``rounding`` (its currency's),
        ``credit_line`` (its credit limit is set, ``has_credit_line``) and ``guarantee``
        (held: the credit balance of the company's deposits account for the member, as
        ``coop.guarantee._coop_get_balances`` reads it). The members of a company whose deposits
        account is not set in the Cooperative settings get their guarantee from
        ``_get_guarantees_paid`` (its default account)."""
        if not memberships:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, last_invoice.invoice_date, r.service_invoice_days,
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
             LEFT JOIN LATERAL (
                       SELECT MAX(move.invoice_date) AS invoice_date
                         FROM account_move move
                        WHERE move.coop_membership_id = m.id AND move.coop_is_service_invoice
                          AND move.state = 'posted'
                   ) last_invoice ON TRUE
                 WHERE m.id = ANY(%s)
                """,
                memberships.ids,
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
            for member_id, paid in memberships.browse(unset)._get_guarantees_paid().items():
                facts[member_id]["guarantee"] = paid
        return facts

    @api.model
    def _is_service_invoice_due(
        self, membership, today, uninvoiced, first_work_date=None, guarantee_paid=None, facts=None
    ):
        """Art. 6.2 for ``membership`` (``service_invoice_due``), from ``_get_due_facts``."""
        membership.ensure_one()
        facts = facts or self._get_due_facts(membership)[membership.id]
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
    def _get_due_memberships(self, today):
        """The members whose service invoice is due on ``today`` (art. 6.2), in three
        queries whatever the number of members and lines: one aggregate over the billable
        timesheets, one over the expenses and extra services not invoiced yet, one for the
        facts of the rule (``_get_due_facts``: the members' last invoice, regulation,
        currency, credit line and guarantee held). No service invoice is due while the
        Cooperative settings of the member's company are incomplete (context
        ``coop_check_configuration``, the scheduled run)."""
        Membership = self.env["coop.membership"]
        priced, facts = self._price_uninvoiced_with_facts()
        due_ids = []
        for member_id, (amount, first_work) in priced.items():
            if amount <= 0:
                continue
            member_facts = facts[member_id]
            if self._is_service_invoice_due(
                Membership.browse(member_id),
                today,
                amount,
                # before the first service invoice, the days run from the oldest uninvoiced work
                None if member_facts["last_invoice"] else first_work,
                facts=member_facts,
            ):
                due_ids.append(member_id)
        due = Membership.browse(due_ids)
        if self.env.context.get("coop_check_configuration") and due:
            ready = self.env["res.company"]._coop_ready_companies("Cooperative service invoicing", due.company_id)
            due = due.filtered(lambda m: m.company_id in ready)
        return due
