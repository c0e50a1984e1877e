from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestRateChange(CoopBillingCommon):
    def test_art_5_3_old_rate_for_15_days_then_new(self):
        change = self.env["coop.rate.change"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "new_rate": 65.0}
        )
        change.action_notify(today=date(2026, 3, 1))
        self.assertEqual((change.state, change.date_effective), ("notified", date(2026, 3, 16)))
        # SPEC 7.3: a member without agent nor address is not counted as notified
        self.assertEqual(self.member.notice_ids.filtered(lambda n: n.kind == "rate_change").state, "no_recipient")
        old, new = self._log(self.medior, 60, "2026-03-15"), self._log(self.medior, 60, "2026-03-16")
        self.assertEqual((old.coop_rate, old.coop_amount), (60.0, 82.80))
        self.assertEqual((new.coop_rate, new.coop_amount), (65.0, 89.70))
        with self.assertRaises(UserError):
            change.action_notify(today=date(2026, 3, 2))

    def test_objection_suspends_the_services_concerned(self):
        change = self.env["coop.rate.change"].create(
            {"product_id": self.service.id, "category_id": self.cat_medior.id, "new_rate": 65.0}
        )
        change.action_notify(today=date(2026, 3, 1))
        change.action_object(self.member, today=date(2026, 3, 10))
        count = self.env["account.analytic.line"].search_count([])
        with self.assertRaises(UserError) as refused:
            self._log(self.medior, 60, "2026-03-11")
        self.assertIn("suspended", str(refused.exception))
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)
        # other categories go on
        self.assertEqual(self._log(self.junior, 60, "2026-03-11").coop_amount, 62.10)
        with self.assertRaises(UserError):
            change.action_object(self.member, today=date(2026, 3, 11))
        with self.assertRaises(UserError):  # too late for another member
            change.action_object(self._make_billing_member("Late Co", self.basic_2021), today=date(2026, 3, 16))
