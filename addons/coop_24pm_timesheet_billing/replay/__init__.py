"""A year of 24PM, replayed (issue 18).

``YearReplay(env, start, days, members, seed).run()`` replays ``days`` days from ``start``
(default: 12 months before today) under a frozen clock: members join online, pay by SEPA
direct debit, the bank's statements are imported; the suite's real scheduled jobs run at
their own intervals. ``replay.report()`` is the year in figures; ``replay.checks()`` the
discrepancies found by the year-end checks (empty lists: every rule holds).

From a shell (``odoo-bin shell -d DB``)::

    from odoo.addons.coop_24pm_timesheet_billing.replay import YearReplay
    replay = YearReplay(env, members=3, seed=18).run()
    print(replay.report())
    env.cr.commit()
"""

from collections import Counter

from . import checks
from .base import BaseReplay
from .changes import ChangeScenes
from .disputes import DisputeScenes
from .fault import FaultScenes
from .lifecycle import LifeScenes
from .mistakes import MISTAKES, MistakeScenes
from .money import MoneyScenes
from .money2 import TransferScenes
from .roi import RoiScenes
from .work import WorkScenes
from .work2 import Work2Scenes

__all__ = ["MISTAKES", "YearReplay", "checks"]


class YearReplay(
    RoiScenes,
    Work2Scenes,
    ChangeScenes,
    FaultScenes,
    DisputeScenes,
    TransferScenes,
    MistakeScenes,
    WorkScenes,
    MoneyScenes,
    LifeScenes,
    BaseReplay,
):
    CHECKS = {
        "trust page equals ledger": checks.check_trust_page_equals_ledger,
        "bank equals statements": checks.check_bank_equals_statements,
        "debits collected": checks.check_debits_collected,
        "timesheets invoiced once": checks.check_timesheets_invoiced_once,
        "contributions invoiced once": checks.check_contributions_once,
        "aged balance holds only the late": checks.check_aged_balance_only_late,
        "balance sheet": checks.check_balance_sheet,
        "notices delivered": checks.check_notices_delivered,
    }

    def checks(self):
        """{check name: [discrepancies]} at the end of the year."""
        return {name: check(self) for name, check in self.CHECKS.items()}

    def report(self):
        """The year in figures, as text."""
        env = self.env
        memberships = self.memberships()
        partners = memberships.partner_id.ids
        moves = (
            env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", partners),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund", "in_invoice", "in_refund")),
                ],
                order="id",
            )
        )
        lines = [f"A year of 24PM replayed: {self.start} to {self.end}, seed {self.seed}, {len(self.members)} members"]
        lines.append("Invoices by kind:")
        by_kind = Counter()
        amounts = Counter()
        for move in moves:
            kind = (
                getattr(move, "coop_invoice_kind", False)
                or (getattr(move, "coop_fee_kind", False) and f"fee: {move.coop_fee_kind}")
                or move.move_type
            )
            key = f"{move.move_type}/{kind}"
            by_kind[key] += 1
            amounts[key] += move.amount_total
        for key in sorted(by_kind):
            lines.append(f"  {key:<40} {by_kind[key]:>5}  {self.money(amounts[key]):>14}")
        states = Counter(memberships.mapped("state"))
        lines.append("Members by state: " + ", ".join(f"{state} {count}" for state, count in sorted(states.items())))
        rejections = env["coop.debit.rejection"].sudo().search([("invoice_id.commercial_partner_id", "in", partners)])
        lines.append(
            f"Debit rejections: {len(rejections)}, fees {self.money(sum(rejections.mapped('fee_amount')))}; "
            f"returns imported: {len(self.returns)}"
        )
        disputes = env["coop.invoice.dispute"].sudo().search([("invoice_id.commercial_partner_id", "in", partners)])
        lines.append(
            f"Disputes: {len(disputes)} ("
            + ", ".join(f"{state} {count}" for state, count in sorted(Counter(disputes.mapped("state")).items()))
            + f"), {self.money(sum(disputes.mapped('amount')))} disputed"
        )
        for fee in moves.filtered(lambda move: getattr(move, "coop_fee_kind", False)):
            lines.append(
                f"  fee {fee.name} ({fee.coop_fee_kind}) {self.money(fee.amount_total)} "
                f"on {fee.coop_fee_origin_id.name} of {fee.commercial_partner_id.name}, {fee.invoice_date}"
            )
        kinds = Counter(kind for _day, kind, _text in self.events)
        lines.append("Events: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
        for day, kind, text in self.events:
            if kind not in ("debit", "bank", "work"):
                lines.append(f"  {day} {kind}: {text}")
        lines.append(
            f"Bank: {len(self.statements)} statements imported, {self.reconciled_auto} lines reconciled on import, "
            f"{self.reconciled_by_hand} by the accountant, {len(self.left_unreconciled)} left; "
            f"{len(self.orders)} debit orders uploaded"
        )
        timesheets = env["account.analytic.line"].sudo().browse(self.timesheets.ids).exists()
        runs = env["coop.billing.run"].sudo().search([("line_ids.membership_id", "in", memberships.ids)])
        lines.append(
            f"Work: {len(timesheets)} timesheet lines, {sum(timesheets.mapped('unit_amount')):.2f} h logged, "
            f"{len(timesheets.filtered('coop_invoice_line_id'))} invoiced; {len(runs)} billing runs "
            f"({', '.join(f'{state} {count}' for state, count in sorted(Counter(runs.mapped('state')).items()))})"
        )
        lines.append(f"Refusals by the suite: {len(self.refusals)}")
        for day, scene, message in self.refusals[:20]:
            lines.append(f"  {day} {scene}: {message}")
        lines.append("Scheduled jobs (runs, seconds):")
        for xmlid in sorted(self.cron_runs, key=lambda x: -self.cron_seconds[x]):
            lines.append(f"  {xmlid:<62} {self.cron_runs[xmlid]:>4} {self.cron_seconds[xmlid]:>8.2f}")
        for xmlid in self.cron_skipped:
            lines.append(f"  {xmlid:<62} not run under test (commits its own transaction)")
        if self.cron_errors:
            lines.append(f"Job failures: {len(self.cron_errors)}")
            for day, xmlid, message in self.cron_errors[:20]:
                lines.append(f"  {day} {xmlid}: {message}")
        return "\n".join(lines)
