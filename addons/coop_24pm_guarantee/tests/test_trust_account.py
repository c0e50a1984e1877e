from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestTrustAccount(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Fiducie SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.partner, regulation=cls.roi_2021)

    def test_art_4_7_figures(self):
        paid = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-15")
        self._pay(paid, 300.0)
        self._post_invoice(self.partner, 500.0, date="2026-03-01", due="2026-03-31")
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.partner.id, "invoice_date": "2026-03-05",
            "invoice_line_ids": [(0, 0, {"name": "Goodwill", "quantity": 1, "price_unit": 50.0,
                                         "account_id": self.income_account.id, "tax_ids": [(5, 0, 0)]})],
        })
        refund.action_post()
        self._receive_guarantee(self.member, 2500.0)
        with freeze_time("2026-03-10"):
            values = self.member._get_trust_account_values()
        # the B share subscription invoice (EUR 1.00, open) is part of what the member owes
        self.assertEqual(values, {
            "invoiced": 1451.0, "paid": 300.0, "outstanding": 1201.0, "overdue": 700.0,
            "next_invoice": 0.0, "guarantee_balance": 2500.0, "owed_to_member": 50.0,
        })
        self.assertEqual(values["guarantee_balance"], self._deposits_balance(self.partner))

    def test_query_count_does_not_grow_with_history(self):
        self._post_invoice(self.partner, 100.0)
        self._receive_guarantee(self.member, 1000.0)

        def count():
            self.member._get_trust_account_values()  # warm the registry caches (rules, accounts)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.member._get_trust_account_values()
            return self.env.cr.sql_log_count - start

        first = count()
        for i in range(6):
            self._post_invoice(self.partner, 100.0 + i, date="2026-02-0%d" % (i + 2))
            self._receive_guarantee(self.member, 10.0, operation="topup")
        self.assertEqual(count(), first)
