"""Pure arithmetic of art. 6.4 and 6.1, tested on its own (tests/test_guarantee_rules.py)."""

import re
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


def structured_communication(text):
    """SPEC 7.2: the Belgian structured communication ("+++123/4567/89002+++", or its 12
    digits as a bank's CAMT file gives them) found in ``text``, formatted, when its check
    digits hold (the first 10 digits modulo 97, 97 for a remainder of 0); else ``None``."""
    if not text:
        return None
    candidates = re.findall(r"(\d{3})\s*/\s*(\d{4})\s*/\s*(\d{5})", text) + [
        (m[:3], m[3:7], m[7:]) for m in re.findall(r"(?<!\d)(\d{12})(?!\d)", text)
    ]
    for part1, part2, part3 in candidates:
        digits = part1 + part2 + part3
        if (int(digits[:10]) % 97 or 97) == int(digits[10:]):
            return f"+++{part1}/{part2}/{part3}+++"
    return None
