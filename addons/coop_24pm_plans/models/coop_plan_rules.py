"""Pure billing arithmetic of the plans (no ORM), each rule with its own unit test."""

from dateutil.relativedelta import relativedelta

from odoo.tools.float_utils import float_round


def period_containing(anchor, months, day):
    """Billing period of ``months`` months, anchored on the anniversary ``anchor``,
    that contains ``day``: returns ``(start, end)``."""
    delta = relativedelta(day, anchor)
    index = (delta.years * 12 + delta.months) // months
    if day < anchor:
        index -= 1
    start = anchor + relativedelta(months=index * months)
    while start > day:
        index -= 1
        start = anchor + relativedelta(months=index * months)
    end = anchor + relativedelta(months=(index + 1) * months, days=-1)
    while end < day:
        index += 1
        start = anchor + relativedelta(months=index * months)
        end = anchor + relativedelta(months=(index + 1) * months, days=-1)
    return start, end


def split_by_period(anchor, months, date_from, date_to):
    """Split ``[date_from, date_to]`` into pieces that each stay inside one anchored
    period; yields ``(piece_from, piece_to, period_start, period_end)``."""
    day = date_from
    while day <= date_to:
        start, end = period_containing(anchor, months, day)
        piece_to = min(end, date_to)
        yield day, piece_to, start, end
        day = piece_to + relativedelta(days=1)


def prorata_fraction(piece_from, piece_to, period_start, period_end):
    """Share of a period billed for a piece of it, by days (the month's or year's days)."""
    days = (piece_to - piece_from).days + 1
    period_days = (period_end - period_start).days + 1
    return days / period_days


def prorata_amount(period_price, anchor, months, date_from, date_to, rounding=0.01):
    """Amount due for ``[date_from, date_to]`` at ``period_price`` per anchored period,
    pro rata by days where a period is split; each piece rounded to the cent."""
    total = 0.0
    for piece in split_by_period(anchor, months, date_from, date_to):
        total += float_round(period_price * prorata_fraction(*piece), precision_rounding=rounding)
    return float_round(total, precision_rounding=rounding)


def annual_price(monthly_fee, free_months=2):
    """SPEC 3.1: an annual commitment costs 10 months for 12 (``free_months`` free)."""
    return monthly_fee * (12 - free_months)


def change_effective_date(direction, commitment, confirmed_on, anchor):
    """Art. 4.5 / SPEC 3.2: when a confirmed plan change takes effect.

    Monthly commitment: an upgrade on confirmation, a downgrade on the 1st of the next
    month. Annual commitment: only at the end of the commitment year; an upgrade on the
    first day of the new year, a downgrade on the first day of the month after the year
    ends.
    """
    if commitment == "annual":
        _start, year_end = period_containing(anchor, 12, confirmed_on)
        new_year = year_end + relativedelta(days=1)
        if direction == "upgrade":
            return new_year
        return new_year if new_year.day == 1 else new_year + relativedelta(months=1, day=1)
    if direction == "upgrade":
        return confirmed_on
    return confirmed_on + relativedelta(months=1, day=1)


def upgrade_gain(consumption, current_margin, current_fee, new_margin, new_fee, months=3):
    """SPEC 3.3: what a higher plan would have saved over the window.

    ``consumption`` was billed with ``current_margin`` on the group rates: the same work
    under the higher plan costs ``base * (1 + new_margin)``; the saving on the margin is
    set against the difference of fees over ``months``. Positive = upgrading pays.
    """
    base = consumption / (1.0 + current_margin)
    margin_saved = base * (current_margin - new_margin)
    fee_difference = (new_fee - current_fee) * months
    return margin_saved - fee_difference
