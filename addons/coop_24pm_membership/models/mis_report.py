from functools import partial

from odoo import models

from .mis_report_query import QUERY_DATES_START


class MisReport(models.Model):
    _inherit = "mis.report"

    def _fetch_queries(self, date_from, date_to, get_additional_query_filter=None):
        """The queries with a period domain read what stands at the end of the period:
        mis_builder runs them on the dates from ``QUERY_DATES_START`` to the period's end,
        with their period domain added to their filter; the other queries run as usual."""
        period_queries = self.query_ids.filtered(lambda query: query.sudo().coop_period_domain)
        if not period_queries:
            return super()._fetch_queries(date_from, date_to, get_additional_query_filter)

        def query_filter(query, in_period):
            if (query in period_queries) != in_period:
                return [("id", "=", 0)]  # read in the other run
            domain = list(get_additional_query_filter(query)) if get_additional_query_filter else []
            if in_period:
                domain += query._coop_period_filter(date_from, date_to)
            return domain

        res = {}
        if period_queries != self.query_ids:
            res.update(super()._fetch_queries(date_from, date_to, partial(query_filter, in_period=False)))
        at_end = super()._fetch_queries(QUERY_DATES_START, date_to, partial(query_filter, in_period=True))
        res.update({query.name: at_end[query.name] for query in period_queries})
        return res
