import re

from odoo import models

NAME_RE = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\b")


class MisReportInstance(models.Model):
    """A cell computed from a single query drills down to the records behind it, as the
    cells of accounting expressions open their journal items."""

    _inherit = "mis.report.instance"

    def _compute_matrix(self):
        kpi_matrix = super()._compute_matrix()
        query_names = set(self.report_id.query_ids.mapped("name"))
        if not query_names:
            return kpi_matrix
        periods = {period.id: period for period in self.period_ids}
        for col in kpi_matrix.iter_cols():
            if col is None or col.key not in periods or not periods[col.key].source_aml_model_name:
                continue  # a sum or comparison column
            for row in kpi_matrix.iter_rows():
                cells = col.get_cell_tuple_for_row(row)
                expressions = row.kpi._get_expressions(col.subkpis)
                if row.account_id or not cells or len(cells) != len(expressions):
                    continue  # an account detail, or one expression for several sub-KPIs
                for cell, expression in zip(cells, expressions, strict=True):
                    if cell is None or cell.drilldown_arg or not expression:
                        continue
                    used = set(NAME_RE.findall(expression.name)) & query_names
                    if len(used) == 1:
                        cell.drilldown_arg = {
                            "expr": expression.name,
                            "coop_query": used.pop(),
                            "period_id": col.key,
                            "kpi_id": row.kpi.id,
                        }
        return kpi_matrix

    def drilldown(self, arg):
        if not arg.get("coop_query"):
            return super().drilldown(arg)
        self.ensure_one()
        period = self.env["mis.report.instance.period"].browse(arg["period_id"])
        query = self.report_id.query_ids.filtered(lambda q: q.name == arg["coop_query"])[:1]
        if not query or not period:
            return False
        return {
            "name": self._get_drilldown_action_name(arg),
            "domain": query._coop_drilldown_domain(period),
            "type": "ir.actions.act_window",
            "res_model": query.sudo().model_id.model,
            "views": [[False, "list"], [False, "form"]],
            "view_mode": "list,form",
            "target": "current",
        }
