from odoo import api, models

#: rows generated per plan: (prefix, sequence, description, expression, style)
PLAN_ROWS = (
    ("members", 11, "Members on %s", "{query}.count", "mis_style_coop_plan_count"),
    (
        "contributions",
        41,
        "Contributions: %s",
        "-balp[7%][('coop_plan_id', '=', {plan}), ('coop_line_kind', '=', 'contribution')]",
        "mis_style_coop_plan",
    ),
    (
        "services",
        51,
        "Service revenue: %s",
        "-balp[7%][('coop_plan_id', '=', {plan}), ('coop_line_kind', 'in', ('service', 'expense', 'extra'))]",
        "mis_style_coop_plan",
    ),
    (
        "margin",
        61,
        "Margin earned: %s",
        "-balp[7%][('coop_plan_id', '=', {plan}), ('coop_line_kind', '=', 'margin')]",
        "mis_style_coop_plan",
    ),
)
PLAN_PREFIXES = tuple(row[0] for row in PLAN_ROWS)


class MisReport(models.Model):
    _inherit = "mis.report"

    @api.model
    def _coop_sync_management_report(self):
        """The rows per plan of the cooperative management report: members on the plan at
        the end of the month (a query on the plan lines of the subscription contracts),
        contributions, service revenue and margin earned (journal items tagged with the
        plan). Called at install and whenever plans are created, renamed or deleted."""
        report = self.env.ref("coop_24pm_timesheet_billing.mis_report_coop_management", raise_if_not_found=False)
        if not report:
            return False
        report = report.sudo()
        plans = self.env["coop.plan"].sudo().with_context(active_test=False).search([], order="regulation_id, rank, id")  # pylint: disable=no-search-all  # one row per plan
        kpis = {kpi.name: kpi for kpi in report.kpi_ids}
        queries = {query.name: query for query in report.query_ids}
        Fields = self.env["ir.model.fields"].sudo()
        line_model = self.env["ir.model"].sudo()._get("contract.line")
        query_fields = {
            "field_ids": [(6, 0, Fields._get("contract.line", "coop_monthly_fee").ids)],
            "date_field": Fields._get("contract.line", "date_start").id,
            "company_field_id": Fields._get("contract.line", "company_id").id,
        }
        wanted_kpis, wanted_queries = set(), set()
        for index, plan in enumerate(plans):
            query_name = f"q_plan_members_{plan.id}"
            wanted_queries.add(query_name)
            query_vals = {
                "name": query_name,
                "model_id": line_model.id,
                "aggregate": "sum",
                "coop_period_domain": (
                    f"[('coop_kind', '=', 'plan'), ('coop_plan_id', '=', {plan.id}), ('is_canceled', '=', False), "
                    "('date_start', '<=', date_to), '|', ('date_end', '=', False), ('date_end', '>=', date_to)]"
                ),
                **query_fields,
            }
            if query_name in queries:
                queries[query_name].write(query_vals)
            else:
                self.env["mis.report.query"].sudo().create({**query_vals, "report_id": report.id})
            for prefix, sequence, description, expression, style in PLAN_ROWS:
                name = f"{prefix}_plan_{plan.id}"
                wanted_kpis.add(name)
                vals = {
                    "description": self.env._(description, plan.display_name),  # noqa: INT001
                    "expression": expression.format(query=query_name, plan=plan.id),
                    "sequence": sequence + min(index, 8),
                    "style_id": self.env.ref(f"coop_24pm_timesheet_billing.{style}").id,
                    "accumulation_method": "none" if prefix == "members" else "sum",
                    "compare_method": "diff",
                }
                if name in kpis:
                    kpis[name].write(vals)
                else:
                    self.env["mis.report.kpi"].sudo().create({**vals, "name": name, "report_id": report.id})
        stale_kpis = [kpi for name, kpi in kpis.items() if name.startswith(tuple(f"{p}_plan_" for p in PLAN_PREFIXES))]
        self.env["mis.report.kpi"].sudo().concat(*[k for k in stale_kpis if k.name not in wanted_kpis]).unlink()
        self.env["mis.report.query"].sudo().concat(
            *[q for name, q in queries.items() if name.startswith("q_plan_members_") and name not in wanted_queries]
        ).unlink()
        return True
