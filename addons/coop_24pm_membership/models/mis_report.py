"""Two small extensions of OCA mis_builder's queries (non-accounting data sources):

* ``coop_period_domain``: a domain that may use the period's ``date_from`` and
  ``date_to``, replacing the automatic filter on the date field: what is in force at the
  end of the period (members per plan, guarantees required) rather than what happened
  in it;
* drill-down: a cell computed from a query opens the records behind it, as cells of
  accounting expressions open their journal items.
"""

import re

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil as safe_dateutil
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from odoo.addons.mis_builder.models.mis_report import AutoStruct, _utc_midnight

NAME_RE = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\b")


class MisReportQuery(models.Model):
    _inherit = "mis.report.query"

    coop_period_domain = fields.Char(
        "Domain on the period dates",
        help="When set, replaces the domain and the filter on the date field: a domain that may use "
        "date_from and date_to, the dates of the period (e.g. records in force at the end of the period).",
    )

    def _coop_eval_context(self, date_from, date_to):
        return {
            "env": self.env,
            "time": safe_time,
            "datetime": safe_datetime,
            "dateutil": safe_dateutil,
            "uid": self.env.uid,
            "context": self.env.context,
            "date_from": date_from,
            "date_to": date_to,
        }

    def _coop_get_domain(self, date_from, date_to):
        """The domain of the records behind the query for the period (upstream's rule, or
        ``coop_period_domain``)."""
        self.ensure_one()
        query = self.sudo()
        context = self._coop_eval_context(date_from, date_to)
        if query.coop_period_domain:
            return list(safe_eval(query.coop_period_domain, context))
        domain = list(safe_eval(query.domain, context)) if query.domain else []
        name = query.date_field.name
        if query.date_field.ttype == "date":
            domain += [(name, ">=", date_from), (name, "<=", date_to)]
        else:
            tz = str(self.env["ir.fields.converter"]._input_tz())
            domain += [(name, ">=", _utc_midnight(date_from, tz)), (name, "<", _utc_midnight(date_to, tz, add_day=1))]
        return domain


class MisReport(models.Model):
    _inherit = "mis.report"

    def _fetch_queries(self, date_from, date_to, get_additional_query_filter=None):
        period_queries = self.query_ids.filtered(lambda q: q.sudo().coop_period_domain)
        if not period_queries:
            return super()._fetch_queries(date_from, date_to, get_additional_query_filter)

        def additional_filter(query):
            if query in period_queries:
                return [("id", "=", 0)]  # computed below, on the period's own domain
            return get_additional_query_filter(query) if get_additional_query_filter else []

        if period_queries == self.query_ids:
            res = {}
        else:
            res = super()._fetch_queries(date_from, date_to, additional_filter)
        if isinstance(date_from, str):
            date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        for query in period_queries:
            query_sudo = query.sudo()
            model = self.env[query_sudo.model_id.model]
            domain = query._coop_get_domain(date_from, date_to)
            if get_additional_query_filter:
                domain += get_additional_query_filter(query)
            field_names = [f.name for f in query_sudo.field_ids]
            if not query.aggregate:
                res[query.name] = [AutoStruct(**d) for d in model.search_read(domain, field_names)]
                continue
            if query.aggregate == "sum" and all(model._fields[name].store for name in field_names):
                [row] = model._read_group(domain, [], ["__count", *[f"{name}:sum" for name in field_names]])
                values = AutoStruct(count=row[0])
                for field_name, value in zip(field_names, row[1:], strict=True):
                    setattr(values, field_name, value or 0.0)
                res[query.name] = values
                continue
            data = model.search_read(domain, field_names)
            values = AutoStruct(count=len(data))
            for field_name in field_names:
                column = [d[field_name] or 0.0 for d in data]
                if query.aggregate == "sum":
                    value = sum(column)
                elif query.aggregate == "avg":
                    value = sum(column) / len(column) if column else 0.0
                elif query.aggregate == "min":
                    value = min(column, default=0.0)
                else:
                    value = max(column, default=0.0)
                setattr(values, field_name, value)
            res[query.name] = values
        return res

    def _declare_and_compute_col(self, expression_evaluator, *args, **kwargs):
        """Give a drill-down to the cells computed from a single query."""
        names = {query.name for query in self.query_ids}
        if names:
            eval_expressions = expression_evaluator.eval_expressions

            def eval_with_query_drilldown(expressions, locals_dict):
                vals, drilldown_args, name_error = eval_expressions(expressions, locals_dict)
                for index, expression in enumerate(expressions):
                    if drilldown_args[index] is None and expression:
                        used = set(NAME_RE.findall(expression.name)) & names
                        if len(used) == 1:
                            drilldown_args[index] = {"expr": expression.name, "coop_query": used.pop()}
                return vals, drilldown_args, name_error

            expression_evaluator.eval_expressions = eval_with_query_drilldown
        return super()._declare_and_compute_col(expression_evaluator, *args, **kwargs)


class MisReportInstance(models.Model):
    _inherit = "mis.report.instance"

    def drilldown(self, arg):
        if not arg.get("coop_query"):
            return super().drilldown(arg)
        self.ensure_one()
        period = self.env["mis.report.instance.period"].browse(arg["period_id"])
        query = self.report_id.query_ids.filtered(lambda q: q.name == arg["coop_query"])[:1]
        if not query or not period:
            return False
        domain = query._coop_get_domain(period.date_from, period.date_to)
        domain += period._get_additional_query_filter(query)
        kpi = self.env["mis.report.kpi"].browse(arg.get("kpi_id"))
        return {
            "name": f"{kpi.description} - {period.display_name}",
            "domain": domain,
            "type": "ir.actions.act_window",
            "res_model": query.sudo().model_id.model,
            "views": [[False, "list"], [False, "form"]],
            "view_mode": "list,form",
            "target": "current",
        }


class MisReportInstancePeriod(models.Model):
    _inherit = "mis.report.instance.period"

    coop_month_of_year = fields.Integer(
        "Month of the year",
        help="1 to 12: the column shows this month of the year of the base date (today by default), "
        "so a report with twelve such columns always shows the current year month by month.",
    )

    @api.depends("coop_month_of_year")
    def _compute_dates(self):
        res = super()._compute_dates()
        for period in self:
            month = period.coop_month_of_year
            report = period.report_instance_id
            if not (1 <= month <= 12) or period.mode != "relative" or not report.comparison_mode:
                continue
            base = fields.Date.to_date(report.pivot_date)
            date_from = base.replace(month=month, day=1)
            period.date_from = date_from
            period.date_to = date_from + relativedelta(day=31)
            period.valid = True
        return res
