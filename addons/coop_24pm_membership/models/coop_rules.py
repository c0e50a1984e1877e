"""Pure rules of the regulations, kept free of the ORM so each has its own unit test."""

from dateutil.relativedelta import relativedelta


def commitment_year_end(date_start, on_date):
    """Last day of the commitment year (anniversary of ``date_start``) containing ``on_date``."""
    years = max(relativedelta(on_date, date_start).years, 0)
    return date_start + relativedelta(years=years + 1, days=-1)


def notice_end_date(date_notice, commitment, date_start, monthly_months=1, annual_months=3):
    """Art. 4.4.1: end of a contract after notice given on ``date_notice``.

    Monthly commitment: ``monthly_months`` month(s) after the notice.
    Annual commitment: end of the current commitment year when the notice comes at
    least ``annual_months`` months before it ends, otherwise end of the next year.
    """
    if commitment == "annual":
        year_end = commitment_year_end(date_start, date_notice)
        deadline = year_end + relativedelta(days=1) - relativedelta(months=annual_months)
        if date_notice >= deadline:
            year_end = year_end + relativedelta(days=1) + relativedelta(years=1, days=-1)
        return year_end
    return date_notice + relativedelta(months=monthly_months)


def fault_indemnity(monthly_contribution, months=3, minimum=1000.0):
    """Art. 10: fixed indemnity of ``months`` months of contribution, at least ``minimum``."""
    return max((monthly_contribution or 0.0) * months, minimum)


def normalize_vat(vat, country_code=None):
    """Validate a VAT or Belgian enterprise number with python-stdnum (SPEC 2.1.7).

    Returns the compact number with its country prefix (``BE0477472701``); raises
    ``ValueError`` when the number is invalid. A number without prefix is read in
    ``country_code`` (default Belgium, whose enterprise numbers are VAT numbers).
    Countries python-stdnum does not know are returned as given.
    """
    import re

    import stdnum

    compact = re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()
    if not compact:
        raise ValueError("empty")
    if compact[:2].isalpha():
        cc, number = compact[:2], compact[2:]
    else:
        cc, number = (country_code or "BE").upper(), compact
    if cc == "CH" and compact.startswith("CHE"):
        number = compact
    module = stdnum.get_cc_module({"EL": "gr"}.get(cc, cc).lower(), "vat")
    if module is None:
        return compact
    candidate = number if cc == "CH" else cc + number
    try:
        if not module.is_valid(candidate) and not module.is_valid(number):
            raise ValueError(compact)
    except Exception as exc:  # stdnum raises its own ValidationError subclasses
        raise ValueError(compact) from exc
    if cc == "CH":
        return module.compact(candidate)
    return cc + module.compact(number).removeprefix(cc)
