from freezegun import freeze_time

from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestBalanceSheet(CoopCommon):
    """The shares reach the Belgian balance sheet (OCA l10n_be_mis_reports, m02)."""

    def _issued_capital(self, on_date):
        instance = self.env["mis.report.instance"].create(
            {
                "name": "BS test",
                "report_id": self.env.ref("l10n_be_mis_reports.new_mis_report_bs_m02_f").id,
                "company_id": self.env.company.id,
                "target_move": "posted",
                "period_ids": [(0, 0, {"name": "Year", "mode": "relative", "type": "y", "offset": 0, "duration": 1})],
            }
        )
        with freeze_time(on_date):
            matrix = instance._compute_matrix()
        for row in matrix.iter_rows():
            if row.kpi.name == "rub_100" and not row.account_id:
                return next(iter(row.iter_cells())).val
        return None

    def test_capital_on_belgian_balance_sheet(self):
        members = [
            self._make_member(self._make_company(f"Bilan {i} SRL", vat=vat), date="2026-02-01")
            for i, vat in enumerate(("BE0477472701", "BE0403170701", "NL000099998B57"))
        ]
        self.assertAlmostEqual(self._issued_capital("2026-06-30"), 3.0, places=2)
        members[0].action_terminate("2026-06-30")
        self.assertAlmostEqual(self._issued_capital("2026-07-31"), 2.0, places=2)
