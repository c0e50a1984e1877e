from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


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
