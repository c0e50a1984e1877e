from datetime import date

from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestRealPlansAndGuarantees(CoopBillingCommon):
    """The billing rules on real plans (contracts of coop_24pm_plans) and real paid
    guarantees (posted coop.guarantee.move of coop_24pm_guarantee)."""

    @classmethod
    def _make_real_member(cls, name, plan, guarantee=0.0, start="2026-01-05"):
        membership = cls._make_billing_member(name, plan, guarantee=guarantee, start=start)
        task = cls.env["project.task"].create(
            {"name": "Job", "project_id": cls.env["project.project"]._coop_projects_of(membership).id}
        )
        return membership, task

    def _run(self, today):
        return self._billing_run(today)

    def _member_invoices(self, membership):
        return self.env["account.move"].search(
            [("coop_membership_id", "=", membership.id), ("coop_is_service_invoice", "=", True)]
        )

    def test_basique_margin_from_the_real_plan(self):
        member, task = self._make_real_member("Real Basique", self.basic_2021)
        self.assertEqual(member._get_plan_margin(date(2026, 3, 2)), 0.38)
        line = self._log(self.medior, 60, "2026-03-02", task=task)
        self.assertEqual((line.coop_margin, line.coop_amount), (0.38, 82.80))  # EUR 60 x 1.38
        standard, s_task = self._make_real_member("Real Standard", self.standard_2021)
        line = self._log(self.medior, 61, "2026-03-02", task=s_task)  # 1.25 h x EUR 60 x 1.15
        self.assertEqual((line.coop_margin, line.coop_amount), (0.15, 86.25))

    def test_half_of_a_really_paid_guarantee(self):
        member, task = self._make_real_member("Real Guarantee", self.basic_2021, guarantee=2000.0)
        self.assertEqual(member._get_guarantee_paid(), 2000.0)
        self._past_service_invoice(member, date(2026, 3, 17), task=task)
        self._log(self.medior, 12 * 60, "2026-03-18", task=task)  # 993.60
        self.assertFalse(self._run(date(2026, 3, 20)))
        self._log(self.medior, 10, "2026-03-19", task=task)  # + 20.70 = 1,014.30 >= 1,000
        invoice = self._run(date(2026, 3, 20))
        self.assertEqual(invoice.coop_membership_id, member)
        self.assertEqual((invoice.state, invoice.amount_untaxed), ("posted", 1014.30))
        self.assertEqual(member._get_uninvoiced_amount(), 0.0)

    def test_2023_member_without_guarantee_daily(self):
        member, task = self._make_real_member("Real Daily", self.basic_2023)
        self.assertFalse(member._get_guarantee_paid())
        self.assertFalse(member._has_credit_line())
        self._log(self.medior, 60, "2026-03-19", task=task)
        first = self._run(date(2026, 3, 19))
        self._log(self.medior, 60, "2026-03-20", task=task)
        self.assertFalse(self._run(date(2026, 3, 19)))  # same day: not twice
        second = self._run(date(2026, 3, 20))
        self.assertEqual((first | second).mapped("amount_untaxed"), [82.80, 82.80])
        self.assertEqual(self._member_invoices(member), first | second)

    def test_real_plan_change_mid_period_splits_the_margin(self):
        """Standard 2023 (15 %) until the 11th, Partner 2023 (0 %) from the 12th."""
        member, task = self._make_real_member("Real Upgrade", self.standard_2023, start="2026-04-01")
        self._run_contract_cron("2026-04-01")
        self._request_change(member, self.partner_2023, "2026-04-12")
        before = self._log(self.medior, 60, "2026-04-10", task=task)
        after = self._log(self.medior, 60, "2026-04-14", task=task)
        self.assertEqual((before.coop_margin, before.coop_amount), (0.15, 69.00))
        self.assertEqual((after.coop_margin, after.coop_amount), (0.0, 60.00))
        self.assertEqual(member._get_uninvoiced_amount(), 129.00)
        invoice = self._invoice_members(member.with_context(tracking_disable=True), date(2026, 4, 20))
        self.assertEqual(invoice.amount_untaxed, 129.00)
        service = invoice.invoice_line_ids.filtered(lambda rec: rec.display_type == "product")
        # one service line per plan in force (its income account), then the margin of each plan
        self.assertEqual(service.mapped("price_subtotal"), [60.00, 60.00, 9.00])  # 1 h x EUR 60 twice; 15 % of 60.00
        self.assertEqual(service.mapped("coop_plan_id"), self.standard_2023 | self.partner_2023)
        self.assertEqual(service[0].coop_plan_id, self.standard_2023)
        self.assertEqual(service[1].coop_plan_id, self.partner_2023)
        self.assertEqual(service[2].coop_plan_id, self.standard_2023)
        self.assertEqual(service.mapped("coop_line_kind"), ["service", "service", "margin"])

    def test_2023_member_with_a_real_credit_line_keeps_15_days(self):
        member, task = self._make_real_member("Real Credit", self.basic_2023)
        self._grant_credit_line(member, 5000.0)
        self.assertTrue(member._has_credit_line())
        self._past_service_invoice(member, date(2026, 3, 18), task=task)
        self._log(self.medior, 60, "2026-03-19", task=task)
        self.assertFalse(self._run(date(2026, 3, 19)))
        self.assertFalse(self._run(date(2026, 4, 1)))  # 14 days
        invoice = self._run(date(2026, 4, 2))  # 15 days after the last service invoice
        self.assertEqual((invoice.coop_membership_id, invoice.amount_untaxed), (member, 82.80))
