from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestBalanceSheet(CoopCommon):
    """The shares reach the Belgian balance sheet (OCA l10n_be_mis_reports, m02)."""

    def test_capital_on_belgian_balance_sheet(self):
        members = [
            self._make_member(self._make_company(f"Bilan {i} SRL", vat=vat), date="2026-02-01")
            for i, vat in enumerate(("BE0477472701", "BE0403170701", "NL000099998B57"))
        ]
        self.assertAlmostEqual(self._balance_sheet_rubric("rub_100", "2026-06-30"), 3.0, places=2)
        members[0].action_terminate("2026-06-30")
        self.assertAlmostEqual(self._balance_sheet_rubric("rub_100", "2026-07-31"), 2.0, places=2)
