"""One way in for what members type on the portal (issue 22).

Every portal form of the suite reads its values through :class:`CoopPortalInput`:
amounts and hours finite, positive and within the rule's bounds, in the member's
language's format; dates valid; texts of bounded length; ids only among those the page
offered. A refusal is a :class:`UserError` in the user's language, which the portal's
``_coop_run_action`` shows as a message (never a Python error, never a 500).
"""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from odoo.exceptions import UserError
from odoo.tools.misc import DEFAULT_SERVER_DATE_FORMAT

#: a title, a name: one line
SHORT_TEXT_MAX = 200
#: a reason, a description, the object of a dispute
LONG_TEXT_MAX = 5000
#: digits, separators and spaces only: no sign, no exponent, no "nan" or "inf"
_NUMBER_RE = re.compile(r"^[0-9][0-9 .,'\u00a0\u202f]{0,24}$")


class CoopPortalInput:
    """Parse the values of one portal request in the user's language."""

    def __init__(self, env):
        self.env = env

    # -- numbers -----------------------------------------------------------------------
    def _decimal(self, value, label):
        """A non-negative decimal written with the language's separators, or with a
        plain dot (what an ``<input type="number">`` posts)."""
        text = str(value if value is not None else "").strip()
        if not text:
            raise UserError(self.env._("Give %(label)s.", label=label))
        if not _NUMBER_RE.match(text):
            raise UserError(self.env._("%(label)s must be a number, such as 150 or 150.50.", label=label.capitalize()))
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        thousands = lang.thousands_sep or ""
        text = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
        if "," in text and "." in text:
            # both separators: the last one is the decimal point
            decimal_point = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal_point == "," else ",", "")
        elif thousands and text.count(thousands) > 1:
            text = text.replace(thousands, "")
        text = text.replace(",", ".")
        if text.count(".") > 1:
            raise UserError(self.env._("%(label)s must be a number, such as 150 or 150.50.", label=label.capitalize()))
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise UserError(
                self.env._("%(label)s must be a number, such as 150 or 150.50.", label=label.capitalize())
            ) from exc
        if not number.is_finite():
            raise UserError(self.env._("%(label)s must be a number, such as 150 or 150.50.", label=label.capitalize()))
        return number

    def amount(self, value, label, maximum, minimum=0.01, currency=None):
        """An amount of money: finite, at least ``minimum`` and at most ``maximum``,
        rounded to the currency."""
        number = self._decimal(value, label)
        if number < Decimal(str(minimum)) or number > Decimal(str(maximum)):
            raise UserError(
                self.env._(
                    "%(label)s must be between %(minimum)s and %(maximum)s.",
                    label=label.capitalize(),
                    minimum=self._format_number(minimum, currency),
                    maximum=self._format_number(maximum, currency),
                )
            )
        return (currency or self.env.company.currency_id).round(float(number))

    def hours(self, value, label, maximum, minimum=0.25):
        """A number of hours: finite, within the bounds, to the quarter hour at most."""
        number = self._decimal(value, label)
        if number < Decimal(str(minimum)) or number > Decimal(str(maximum)):
            raise UserError(
                self.env._(
                    "%(label)s must be between %(minimum)s and %(maximum)s hours.",
                    label=label.capitalize(),
                    minimum=self._format_number(minimum),
                    maximum=self._format_number(maximum),
                )
            )
        return float(number)

    def _format_number(self, number, currency=None):
        from odoo.tools.misc import format_amount, formatLang

        if currency:
            return format_amount(self.env, number, currency)
        return formatLang(self.env, number, digits=2 if number != int(number) else 0)

    # -- dates -------------------------------------------------------------------------
    def date(self, value, label, required=False):
        """A date as a date input posts it (YYYY-MM-DD) or in the language's format."""
        text = str(value or "").strip()
        if not text:
            if required:
                raise UserError(self.env._("Give %(label)s.", label=label))
            return False
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        for date_format in (DEFAULT_SERVER_DATE_FORMAT, lang.date_format):
            try:
                return datetime.strptime(text[:20], date_format).date()
            except (ValueError, TypeError):
                continue
        raise UserError(self.env._("%(label)s is not a valid date.", label=label.capitalize()))

    # -- texts -------------------------------------------------------------------------
    def time(self, value, label):
        """A time of day as a time input posts it (HH:MM)."""
        text = str(value or "").strip()
        try:
            return datetime.strptime(text[:5], "%H:%M").time()
        except ValueError as exc:
            raise UserError(
                self.env._("%(label)s is not a valid time, such as 14:30.", label=label.capitalize())
            ) from exc

    def text(self, value, label, max_length=LONG_TEXT_MAX, required=True):
        """A text, stripped, of at most ``max_length`` characters."""
        text = str(value or "").strip()
        if not text:
            if required:
                raise UserError(self.env._("Give %(label)s.", label=label))
            return ""
        if len(text) > max_length:
            raise UserError(
                self.env._(
                    "%(label)s is too long: at most %(max)s characters.",
                    label=label.capitalize(),
                    max=max_length,
                )
            )
        return text

    # -- choices -----------------------------------------------------------------------
    def choice(self, value, offered, message):
        """The record of ``offered`` (the records the page showed) whose id was posted;
        anything else (another member's record, an old one, garbage) is refused."""
        text = str(value or "").strip()
        if not text.isdigit() or len(text) > 12:
            raise UserError(message)
        chosen = offered.filtered(lambda record: record.id == int(text))
        if not chosen:
            raise UserError(message)
        return chosen
