"""Checks of the replayed year (issue 18): each returns a list of discrepancies (strings
naming the member, the figure and both amounts); an empty list means the rule holds."""

from collections import defaultdict

from freezegun import freeze_time

from odoo.tools import float_compare


def _ledger(env, partner, domain):
    lines = (
        env["account.move.line"]
        .sudo()
        .search([("partner_id", "child_of", partner.id), ("parent_state", "=", "posted"), *domain])
    )
    return env.company.currency_id.round(sum(lines.mapped("balance")))


def check_trust_page_equals_ledger(replay):
    """For every member, the trust page (``coop.trust.account``, what /my/membership/<id>/trust
    shows) equals its partner ledger to the cent: the outstanding amount less the open credit
    notes is the receivable balance; the guarantee held plus the guarantee called for and not
    paid is the balance of the deposits-received account."""
    money = replay.money
    env = replay.env
    currency = env.company.currency_id
    deposits = env.company._coop_get_guarantee_account()
    issues = []
    for profile in replay.members:
        membership = profile.get("membership")
        if not membership:
            continue
        partner = membership.partner_id
        trust = env["coop.trust.account"].sudo().browse(membership.id)
        page = membership.env["coop.trust.account"].sudo()._coop_get_values(membership)  # what the portal route renders
        credit_notes = (
            env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                ]
            )
        )
        open_credit_notes = -sum(credit_notes.mapped("amount_residual_signed"))
        receivable = _ledger(env, partner, [("account_id.account_type", "=", "asset_receivable")])
        expected = currency.round(trust.trust_outstanding - open_credit_notes)
        if currency.compare_amounts(receivable, expected):
            issues.append(
                f"{partner.name}: receivable ledger {money(receivable)} != trust page outstanding "
                f"{money(trust.trust_outstanding)} less open credit notes {money(open_credit_notes)}"
            )
        held = -_ledger(env, partner, [("account_id", "=", deposits.id)])
        awaiting = page.get("guarantee_awaiting_payment", 0.0)
        shown = currency.round(trust.guarantee_balance + awaiting)
        if currency.compare_amounts(held, shown):
            issues.append(
                f"{partner.name}: deposits-received ledger {money(held)} != trust page guarantee held "
                f"{money(trust.guarantee_balance)} + awaiting payment {money(awaiting)}"
            )
    return issues


def check_bank_equals_statements(replay):
    """The bank journal moved by exactly what the imported statements say, each statement
    starts where the previous one ended, and every statement line is reconciled."""
    money = replay.money
    env = replay.env
    currency = env.company.currency_id
    issues = []
    balance = replay._journal_bank_balance()
    moved = currency.round(balance - replay.opening_bank_balance)
    statements = replay.statements.sorted(lambda s: (s.date, s.id))
    total = currency.round(sum(statements.mapped(lambda s: s.balance_end_real - s.balance_start)))
    if currency.compare_amounts(moved, total):
        issues.append(f"bank journal moved {money(moved)} but the imported statements sum to {money(total)}")
    if currency.compare_amounts(balance, replay.bank_balance):
        issues.append(f"bank journal {money(balance)} != last statement's closing balance {money(replay.bank_balance)}")
    previous = replay.opening_bank_balance
    for statement in statements:
        if currency.compare_amounts(statement.balance_start, previous):
            issues.append(
                f"{statement.name} starts at {money(statement.balance_start)}, the previous ended at {money(previous)}"
            )
        previous = statement.balance_end_real
    for line in statements.line_ids.filtered(lambda line: not line.is_reconciled):
        issues.append(f"{line.statement_id.name}: line {line.payment_ref!r} ({money(line.amount)}) left unreconciled")
    if replay.bank_pending and all(entry["date"] <= replay.end for entry in replay.bank_pending):
        issues.append(f"{len(replay.bank_pending)} bank entries booked in the year never reached a statement")
    return issues


def check_debits_collected(replay):
    """Every member paying by direct debit has no invoice left open past its due date
    (the debit job presented it, the accountant uploaded it, the bank collected it)."""
    money = replay.money
    env = replay.env
    issues = []
    for profile in replay.members:
        membership = profile.get("membership")
        if not membership or membership.coop_payment_mode != "direct_debit" or profile.get("late_payer"):
            continue
        late = (
            env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", membership.partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", replay.end),
                ]
            )
        )
        for invoice in late - profile.get("expected_unpaid", env["account.move"]):
            issues.append(
                f"{membership.partner_id.name}: {invoice.name} ({money(invoice.amount_residual)}, due "
                f"{invoice.invoice_date_due}) still open at the end of the year"
            )
    return issues


def check_timesheets_invoiced_once(replay, grace_days=35):
    """No timesheet line is invoiced twice, none is left behind: each service invoice is
    posted and bills, before VAT, exactly the billable amounts (rate and plan margin) of the
    timesheet lines it carries; no service line bills work no timesheet line points to; at
    the year's end no line is uninvoiced for a member whose work ended, nor older than
    ``grace_days`` for an active member (art. 6.2 invoices monthly at the latest)."""
    money = replay.money
    env = replay.env
    currency = env.company.currency_id
    issues = []
    lines = env["account.analytic.line"].sudo().browse(replay.timesheets.ids).exists()
    invoice_lines = lines.coop_invoice_line_id
    # the expenses staff entered (replay/work2.py) go on the same service invoices
    expenses = env["coop.expense"].sudo().browse(getattr(replay, "expenses", env["coop.expense"]).ids).exists()
    for invoice in (invoice_lines | expenses.invoice_line_id).move_id:
        billed = lines.filtered(lambda line, invoice=invoice: line.coop_invoice_line_id.move_id == invoice)
        billed_expenses = expenses.filtered(lambda expense, invoice=invoice: expense.invoice_line_id.move_id == invoice)
        if invoice.state != "posted":
            issues.append(f"{invoice.name}: {len(billed)} timesheet line(s) on an invoice {invoice.state}")
        amount = currency.round(sum(billed.mapped("coop_amount")) + sum(billed_expenses.mapped("amount")))
        # each timesheet line's amount is rounded on its own, the invoice rounds each group of
        # lines (hours x rate) and its margin line once (SPEC 6.2, the one rounding path of
        # ``_price_service_invoice``): they may differ by half a cent per rounded figure, never
        # by a line billed twice or left out
        tolerance = currency.rounding / 2 * (len(billed) + len(billed_expenses) + len(invoice.invoice_line_ids))
        if float_compare(abs(amount - invoice.amount_untaxed), tolerance, precision_rounding=currency.rounding) > 0:
            issues.append(
                f"{invoice.name}: bills {money(invoice.amount_untaxed)} before VAT for timesheet lines and expenses "
                f"worth {money(amount)} ({len(billed)} lines, {sum(billed.mapped('unit_amount')):.2f} h, "
                f"{len(billed_expenses)} expenses)"
            )
    for expense in expenses.filtered(lambda expense: not expense.invoice_line_id):
        if (replay.end - expense.date).days > grace_days:
            issues.append(f"{expense.partner_id.name}: expense {expense.name!r} of {expense.date} left uninvoiced")
    # the same work on two invoices: service invoice lines of the members' products that
    # no timesheet line points to
    partners = replay.memberships().partner_id.ids
    service_lines = (
        env["account.move.line"]
        .sudo()
        .search(
            [
                ("move_id.commercial_partner_id", "in", partners),
                ("move_id.state", "=", "posted"),
                ("move_id.move_type", "=", "out_invoice"),
                ("product_id", "=", replay.service.id),
                ("display_type", "=", "product"),
            ]
        )
    )
    for orphan in service_lines - invoice_lines:
        issues.append(
            f"{orphan.move_id.name}: service line {orphan.name!r} ({money(orphan.price_subtotal)}) bills no timesheet"
        )
    # time wholly beyond a recurring task's budget is kept, never billed (SPEC 5.1)
    beyond = lines.filtered(lambda line: line.coop_beyond_budget_hours and not line.coop_billable_hours)
    for line in (lines - beyond).filtered(lambda line: not line.coop_invoice_line_id and line.unit_amount):
        profile = next((p for p in replay.members if p.get("project") == line.project_id), {})
        ended = profile.get("work_stopped") or (
            profile.get("membership") and profile["membership"].state == "terminated"
        )
        if ended or (replay.end - line.date).days > grace_days:
            issues.append(
                f"{line.project_id.name}: {line.date} {line.employee_id.name} {line.unit_amount:.2f} h left uninvoiced"
            )
    return issues


def check_contributions_once(replay):
    """Every contribution the year expects exists once: for each member, at most one
    contribution invoice per month of a monthly commitment (per commitment year of an
    annual one), each posted, none left in draft; a plan change adds its own adjustment
    invoice, not a second contribution. One grouped read for all members (by member, kind
    and invoice day); the moves themselves are read only to name a discrepancy."""
    env = replay.env
    ids = [profile["membership"].id for profile in replay.members if profile.get("membership")]
    memberships = env["coop.membership"].sudo().browse(ids)
    by_id = {membership.id: membership for membership in memberships}  # one prefetch for all
    groups = (
        env["account.move"]
        .sudo()
        ._read_group(
            [
                ("coop_membership_id", "in", ids),
                ("move_type", "=", "out_invoice"),
                ("coop_invoice_kind", "in", ("contribution", "contribution_annual")),
                ("state", "!=", "cancel"),
            ],
            groupby=["coop_membership_id", "coop_invoice_kind", "invoice_date:day"],
            aggregates=["id:recordset", "state:array_agg"],
        )
    )
    periods = defaultdict(lambda: defaultdict(list))  # membership id -> period -> [(date, move)]
    left = defaultdict(list)  # membership id -> moves not posted
    for membership, kind, day, moves, states in groups:
        if any(state != "posted" for state in states):
            left[membership.id] += moves.filtered(lambda move: move.state != "posted")
        for move in moves:
            date = day or move.date  # a draft may have no invoice date yet
            if kind == "contribution_annual":
                start = by_id[membership.id].date_start
                period = ("year", (date - start).days // 365 if start else date.year)
            else:
                period = ("month", date.year, date.month)
            periods[membership.id][period].append((date, move))
    issues = []
    for membership in memberships:
        twice_by_period = {period: dated for period, dated in periods[membership.id].items() if len(dated) > 1}
        if not left[membership.id] and not twice_by_period:
            continue
        name = membership.partner_id.name
        issues += [f"{name}: {move.display_name} left in {move.state}" for move in left[membership.id]]
        for period, dated in twice_by_period.items():
            twice = [move for _date, move in sorted(dated, key=lambda pair: (pair[0], pair[1].id))]
            issues.append(
                f"{name}: {len(twice)} contributions for the {period[0]} of {twice[0].invoice_date}: "
                f"{', '.join(move.name or move.display_name for move in twice)}"
            )
    return issues


def check_aged_balance_only_late(replay):
    """OCA's aged partner balance at the year's end holds, as overdue, only what is really
    late: for each member, what the report ages past its due date equals the trust page's
    overdue figure, and nothing is overdue for a member paying by direct debit (the bank
    collected every debit on its due date) unless the year planned it (a late payer)."""
    money = replay.money
    env = replay.env
    currency = env.company.currency_id
    issues = []
    partners = {p["membership"].partner_id: p for p in replay.members if p.get("membership")}
    if not partners:
        return issues
    for partner, profile in partners.items():
        residual, overdue = _aged_partner_balance(env, partner, replay.end)
        # the trust page as the member sees it on the year's last day
        with freeze_time(replay.end):
            trust = env["coop.trust.account"].sudo().browse(profile["membership"].id)
            trust.invalidate_recordset(["trust_overdue"])  # an earlier check read it under today's clock
            trust_overdue = trust.trust_overdue
        if currency.compare_amounts(overdue, trust_overdue):
            issues.append(
                f"{partner.name}: the aged balance shows {money(overdue)} overdue, "
                f"the trust page {money(trust_overdue)}"
            )
        expected_late = profile.get("expected_unpaid", env["account.move"])
        late_allowed = currency.round(sum(expected_late.mapped("amount_residual")))
        if not profile.get("late_payer") and currency.compare_amounts(overdue, late_allowed) > 0:
            issues.append(
                f"{partner.name}: {money(overdue)} overdue at the year's end (of {money(residual)} open), "
                f"{money(late_allowed)} expected"
            )
    return issues


def _aged_partner_balance(env, partner, date_at):
    """(residual, overdue) of ``partner`` in OCA account_financial_report's aged partner
    balance on receivable accounts, computed as its report action does."""
    wizard = (
        env["aged.partner.balance.report.wizard"]
        .sudo()
        .create(
            {
                "date_at": date_at,
                "receivable_accounts_only": True,
                "partner_ids": [partner.id],
                "company_id": env.company.id,
            }
        )
    )
    wizard.onchange_type_accounts_only()
    data = wizard._prepare_report_data()
    data["date_at"] = str(data["date_at"])  # as the report action serialises it
    values = env["report.account_financial_report.aged_partner_balance"].sudo()._get_report_values(wizard, data)
    rows = [row for account in values["aged_partner_balance"] for row in account["partners"]]
    residual = sum(row["residual"] for row in rows)
    return residual, residual - sum(row["current"] for row in rows)


def check_balance_sheet(replay):
    """The Belgian balance sheet (OCA l10n_be_mis_reports, full model m02) at the year's end
    shows the capital of the B shares held that day and, on the deposits-received account,
    the guarantees held: both as the cooperative's register and the members' guarantees say."""
    money = replay.money
    env = replay.env
    currency = env.company.currency_id
    issues = []
    company = env.company
    b_class = env.ref("coop_24pm_membership.share_class_b")
    share_lines = (
        env["coop.share.line"]
        .sudo()
        .search([("company_id", "=", company.id), ("share_class_id", "=", b_class.id), ("date", "<=", replay.end)])
    )
    capital = currency.round(sum(line.quantity_signed * line.nominal_value for line in share_lines))
    deposits = company._coop_get_guarantee_account()
    memberships = env["coop.membership"].sudo().search([("company_id", "=", company.id)])
    trust = env["coop.trust.account"].sudo().browse(memberships.ids)
    guarantees = currency.round(sum(trust.mapped("guarantee_balance")))
    matrix = _balance_sheet_matrix(env, replay.end)
    shown_capital = shown_deposits = None
    for row in matrix.iter_rows():
        value = next(iter(row.iter_cells())).val
        if row.kpi.name == "rub_100" and not row.account_id:
            shown_capital = value
        if row.account_id == deposits.id:
            shown_deposits = value
    if shown_capital is None or currency.compare_amounts(shown_capital, capital):
        issues.append(f"balance sheet capital (rubric 100) {shown_capital} != B shares held {money(capital)}")
    if currency.compare_amounts(shown_deposits or 0.0, guarantees):
        issues.append(
            f"balance sheet deposits received ({deposits.code}) {shown_deposits} != guarantees held {money(guarantees)}"
        )
    return issues


def _balance_sheet_matrix(env, date_to):
    instance = (
        env["mis.report.instance"]
        .sudo()
        .create(
            {
                "name": "Replayed year: balance sheet",
                "report_id": env.ref("l10n_be_mis_reports.new_mis_report_bs_m02_f").id,
                "company_id": env.company.id,
                "target_move": "posted",
                "period_ids": [(0, 0, {"name": "Year", "mode": "relative", "type": "y", "offset": 0, "duration": 1})],
            }
        )
    )
    with freeze_time(date_to):
        return instance._compute_matrix()


def check_notices_delivered(replay):
    """Every notice the suite sent a replayed member (each may start a deadline: formal
    notice, suspension, notice of termination, dispute answer, rate or regulation change...)
    reached a person: it was delivered to at least one of the member's agents."""
    issues = []
    for profile in replay.members:
        membership = profile.get("membership")
        if not membership:
            continue
        notices = replay.env["coop.notice"].sudo().search([("membership_id", "=", membership.id)])
        for notice in notices:
            agents = notice.recipient_ids.filtered(lambda p, m=membership: p.commercial_partner_id == m.partner_id)
            if notice.state != "delivered" or not agents:
                e_mails = ", ".join(
                    f"{n.res_partner_id.email} {n.notification_status}" for n in notice.message_id.notification_ids
                )
                issues.append(
                    f"{membership.partner_id.name}: notice {notice.kind} {notice.name!r} of {notice.date_sent} is "
                    f"{notice.state}, {len(agents)} agent(s) among its recipients, e-mails: {e_mails or 'none'}"
                )
    return issues
