"""Pure arithmetic of art. 6.4 and 6.1, tested on its own (tests/test_guarantee_rules.py)."""

from datetime import timedelta

from odoo.tools import float_round


def late_interest(amount, days, monthly_rate_percent=1.0, days_per_month=30):
    """Art. 6.4.1: interest of ``monthly_rate_percent`` % per month of delay, pro rata
    by day, a month counting as ``days_per_month`` days (SPEC 4.4 decision)."""
    if amount <= 0 or days <= 0:
        return 0.0
    return float_round(amount * monthly_rate_percent / 100.0 * days / days_per_month, precision_digits=2)


def late_penalty(amount, rate_percent=10.0, minimum=150.0):
    """Art. 6.4.1: penalty clause of ``rate_percent`` % of the sum due, at least ``minimum``."""
    if amount <= 0:
        return 0.0
    return max(float_round(amount * rate_percent / 100.0, precision_digits=2), minimum)


def debit_presentation_date(invoice_date, due_date, days=10):
    """Art. 6.1: a direct debit is presented within ``days`` days of the invoice or at the
    due date, whichever comes first."""
    limit = invoice_date + timedelta(days=days)
    return min(limit, due_date) if due_date else limit
