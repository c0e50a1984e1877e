"""Pure arithmetic of the billing rules (SPEC 5.2, 5.1); no ORM here, unit-tested alone."""

import math
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.tools.float_utils import float_round

QUARTER = 0.25


def round_up_quarter_hour(hours):
    """Art. 2: time is billed by 15 minutes, every started quarter hour counts.

    ``hours`` is the real duration in hours (7 minutes = 0.1166...). Durations are
    first taken to the minute (float noise must not add a quarter: 60 minutes
    stored as 0.99999 is one hour), then rounded up to the next quarter.
    """
    if not hours or hours <= 0:
        return 0.0
    minutes = round(hours * 60.0, 6)
    minutes = math.ceil(minutes - 1e-6)
    return math.ceil(minutes / 15.0) * QUARTER


def billable_amount(hours, rate, margin, rounding=0.01):
    """Billable hours x group rate x (1 + margin), rounded as the currency rounds
    (``res.currency.round``: half-up to ``rounding``)."""
    return float_round(hours * rate * (1.0 + margin), precision_rounding=rounding)


def period_start(on_date, period):
    """First day of the budget period ('day', 'week' from Monday, 'month') holding ``on_date``."""
    if period == "day":
        return on_date
    if period == "week":
        return on_date - timedelta(days=on_date.weekday())
    if period == "month":
        return on_date.replace(day=1)
    raise ValueError(period)


def next_period_start(on_date, period):
    start = period_start(on_date, period)
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    return start + relativedelta(months=1)


def budget_change_date(today, period, old_hours, new_hours):
    """SPEC 5.1: an increase applies to the current period at once, a decrease from the next."""
    if old_hours is not None and new_hours < old_hours:
        return next_period_start(today, period)
    return period_start(today, period)


def split_budget(used_hours, line_hours, budget_hours):
    """Return (billable, beyond) hours of a line when ``used_hours`` of the period's
    budget are already consumed: time beyond the budget is not billable."""
    room = max(budget_hours - used_hours, 0.0)
    billable = min(line_hours, room)
    return billable, line_hours - billable


def service_invoice_due(
    today,
    last_invoice_date,
    uninvoiced,
    guarantee,
    has_credit_line,
    every_days=15,
    daily_without_guarantee=False,
    rounding=0.01,
    first_work_date=None,
):
    """Art. 6.2: a service invoice every ``every_days`` days or as soon as the uninvoiced
    amount reaches half the paid guarantee, whichever comes first; daily when the
    regulation says so and the member has neither guarantee nor credit line (2023).

    The days run from the last service invoice or, before the first one, from the
    oldest work not invoiced yet (``first_work_date``)."""
    if uninvoiced < rounding / 2:
        return False
    if daily_without_guarantee and guarantee < rounding / 2 and not has_credit_line:
        return last_invoice_date is None or last_invoice_date < today
    if guarantee >= rounding / 2 and uninvoiced >= guarantee / 2.0 - rounding / 2:
        return True
    since = last_invoice_date or first_work_date
    if since is None:
        return True
    return (today - since).days >= every_days


def storage_media_monthly(purchase_price, months=36, rounding=0.01):
    """Art. 5.7: file storage = media purchase price / 36 per month."""
    return float_round(purchase_price / months, precision_rounding=rounding)


def data_storage_share(occupied, total_occupied, total_cost, rounding=0.01):
    """ROI 2021 art. 5.6: the member's share of 24PM's data storage cost,
    EOM / CTS x CT24PM, where EOM is the space its data occupy, CTS the storage
    capacity used by all members and CT24PM the total storage cost borne by 24PM."""
    if total_occupied <= 0:
        raise ValueError("the storage used by all members must be positive")
    if occupied < 0 or occupied > total_occupied:
        raise ValueError("a member's storage must lie between 0 and the storage used by all members")
    return float_round(occupied / total_occupied * total_cost, precision_rounding=rounding)


__all__ = [
    "round_up_quarter_hour",
    "billable_amount",
    "period_start",
    "next_period_start",
    "budget_change_date",
    "split_budget",
    "service_invoice_due",
    "storage_media_monthly",
    "data_storage_share",
]
