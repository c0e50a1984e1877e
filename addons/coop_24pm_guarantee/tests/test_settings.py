from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestCooperativeSettings(GuaranteeCommon):
    def _account(self, code):
        return self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(self.env.company), ("code", "=", code)], limit=1
        )

    def test_settings_block_sets_the_deposits_account(self):
        long_term = self._account("178000") or self._account("488000")
        with Form(self.env["res.config.settings"].sudo()) as settings:
            settings.coop_guarantee_account_id = long_term
        settings.record.execute()
        self.assertEqual(self.env.company.coop_guarantee_account_id, long_term)
        self.assertEqual(self.env.company._coop_get_guarantee_account(), long_term)

    def test_wrong_account_type_refused(self):
        income = self._account("700000")
        with self.assertRaisesRegex(ValidationError, "expected liability"):
            self.env.company.coop_guarantee_account_id = income

    def test_receivable_as_interest_income_refused(self):
        receivable = self._account("400000")
        with self.assertRaisesRegex(ValidationError, "expected income"):
            self.env.company.coop_late_interest_account_id = receivable
