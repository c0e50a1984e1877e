from odoo import fields, models
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil as safe_dateutil
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from odoo.addons.mis_builder.models.mis_report import _utc_midnight

#: the start of the date filter of the queries with a period domain: they read every
#: record dated up to the end of the period (a date before the books of any company).
QUERY_DATES_START = fields.Date.to_date("1900-01-01")


class MisReportQuery(models.Model):
    """A query of a MIS report may read what stands at the end of the period (members on a
    plan, guarantees required, uninvoiced work) rather than what happened in it: its date
    field is filtered from the beginning up to the period's end and ``coop_period_domain``,
    which may use the period's ``date_from`` and ``date_to``, is added to its filter."""

    _inherit = "mis.report.query"

    coop_period_domain = fields.Char(
        "Domain on the period dates",
        help="When set, the query reads the records dated up to the end of the period (instead of within it) "
        "that match this domain, which may use date_from and date_to, the dates of the period "
        "(e.g. records in force at the end of the period).",
    )

    def _coop_eval_context(self, **dates):
        """The evaluation context of mis_builder's query domains, with the period's dates."""
        return {
            "env": self.env,
            "time": safe_time,
            "datetime": safe_datetime,
            "dateutil": safe_dateutil,
            "uid": self.env.uid,
            "context": self.env.context,
            **dates,
        }

    def _coop_period_filter(self, date_from, date_to):
        """The period domain of the query for these dates (empty when it has none)."""
        self.ensure_one()
        query = self.sudo()
        if not query.coop_period_domain:
            return []
        context = self._coop_eval_context(
            date_from=fields.Date.to_date(date_from), date_to=fields.Date.to_date(date_to)
        )
        return list(safe_eval(query.coop_period_domain, context))

    def _coop_date_filter(self, date_from, date_to):
        """The filter on the date field that mis_builder applies to the query's records
        (``mis.report._fetch_queries``), for the drill-down to open the same records."""
        self.ensure_one()
        date_field = self.sudo().date_field
        if self.sudo().coop_period_domain:
            date_from = QUERY_DATES_START
        if date_field.ttype == "date":
            return [(date_field.name, ">=", date_from), (date_field.name, "<=", date_to)]
        tz = str(self.env["ir.fields.converter"]._input_tz())
        return [
            (date_field.name, ">=", _utc_midnight(date_from, tz)),
            (date_field.name, "<", _utc_midnight(date_to, tz, add_day=1)),
        ]

    def _coop_drilldown_domain(self, period):
        """The domain of the records behind the query's figure in a column of a report."""
        self.ensure_one()
        query = self.sudo()
        domain = list(safe_eval(query.domain, self._coop_eval_context())) if query.domain else []
        domain += period._get_additional_query_filter(self)
        domain += self._coop_period_filter(period.date_from, period.date_to)
        return domain + self._coop_date_filter(period.date_from, period.date_to)
