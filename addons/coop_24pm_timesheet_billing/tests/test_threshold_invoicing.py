from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestThresholdInvoicing(CoopBillingCommon):
    def _run(self, today, **kwargs):
        return self._billing_run(today, **kwargs)

    def _member_invoices(self, membership):
        return self.env["account.move"].search(
            [("coop_membership_id", "=", membership.id), ("coop_is_service_invoice", "=", True)]
        )

    def test_half_paid_guarantee_reached_3_days_after_last_invoice(self):
        self._give_paid_guarantee(self.member, 2000.0)
        self.assertEqual(self.member._get_guarantee_paid(), 2000.0)
        last = self._past_service_invoice(self.member, date(2026, 3, 17))
        self._log(self.medior, 12 * 60, "2026-03-18")  # 993.60
        self._run(date(2026, 3, 20))
        self.assertEqual(self._member_invoices(self.member), last)
        self._log(self.medior, 10, "2026-03-19")  # + 20.70 = 1,014.30 >= 1,000
        self._run(date(2026, 3, 20))
        invoice = self._member_invoices(self.member) - last
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 1014.30)
        facts = self.env["coop.service.pricing"]._get_due_facts(self.member)[self.member.id]
        self.assertEqual(facts["last_invoice"], date(2026, 3, 20))
        self.assertEqual(self.member._get_uninvoiced_amount(), 0.0)

    def test_15_days_since_last_invoice(self):
        self._give_paid_guarantee(self.member, 2000.0)
        last = self._past_service_invoice(self.member, date(2026, 3, 5))
        self._log(self.medior, 30, "2026-03-10")
        self._run(date(2026, 3, 19))
        self.assertEqual(self._member_invoices(self.member), last)
        self._run(date(2026, 3, 20))
        self.assertEqual((self._member_invoices(self.member) - last).amount_untaxed, 41.40)

    def test_2023_member_without_guarantee_invoiced_daily(self):
        member = self._make_billing_member("Daily Digital", self.basic_2023)
        self.assertEqual((member._get_guarantee_paid(), member._has_credit_line()), (0.0, False))
        task = self.env["project.task"].create(
            {"name": "SEO", "project_id": self.env["project.project"]._coop_projects_of(member).id}
        )
        self._log(self.medior, 60, "2026-03-19", task=task)
        self._run(date(2026, 3, 19))
        self._log(self.medior, 60, "2026-03-20", task=task)
        self._run(date(2026, 3, 19))  # same day: not twice
        self._run(date(2026, 3, 20))
        invoices = self._member_invoices(member)
        self.assertEqual(invoices.mapped("amount_untaxed"), [82.80, 82.80])
        self.assertEqual(sorted(invoices.mapped("invoice_date")), [date(2026, 3, 19), date(2026, 3, 20)])

    def test_2023_member_with_credit_line_keeps_15_days(self):
        member = self._make_billing_member("Credit Corp", self.basic_2023)
        self._grant_credit_line(member)
        self.assertTrue(member._has_credit_line())
        task = self.env["project.task"].create(
            {"name": "SEO", "project_id": self.env["project.project"]._coop_projects_of(member).id}
        )
        last = self._past_service_invoice(member, date(2026, 3, 18), task=task)
        self._log(self.medior, 60, "2026-03-19", task=task)
        self._run(date(2026, 3, 19))
        self.assertEqual(self._member_invoices(member), last)

    def test_invoice_sections_group_rate_and_margin(self):
        self._log(self.medior, 60, "2026-03-02")
        self._log(self.junior, 7, "2026-03-03")
        self.env["coop.expense"].create(
            {
                "membership_id": self.member.id,
                "name": "Contract copies",
                "expense_type": "page",
                "quantity": 3,
                "date": "2026-03-03",
            }
        )
        self.assertEqual(self.member._get_uninvoiced_amount(), 110.33)  # 82.80 + 15.53 + 12.00
        invoice = self._run(date(2026, 3, 20))
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(
            lines.mapped("display_type"),
            ["line_section", "product", "product", "line_section", "product", "line_section", "product"],
        )
        self.assertEqual(
            lines.filtered(lambda rec: rec.display_type == "line_section").mapped("name"),
            ["Services", "Expenses", "Commercial margin"],
        )
        self.assertRecordValues(
            lines.filtered(lambda rec: rec.display_type == "product"),
            [
                {
                    "name": "Website - Employee, medior, group rate 60.00\xa0€/h",
                    "quantity": 1.0,
                    "price_unit": 60.0,
                    "price_subtotal": 60.0,
                },
                {
                    "name": "Website - Employee, junior, group rate 45.00\xa0€/h",
                    "quantity": 0.25,
                    "price_unit": 45.0,
                    "price_subtotal": 11.25,
                },
                {
                    "name": "Copies and typed letters (per page): Contract copies",
                    "quantity": 3.0,
                    "price_unit": 4.0,
                    "price_subtotal": 12.0,
                },
                {
                    "name": "Commercial margin of the plan Basic, 38 % of 71.25\xa0€",
                    "quantity": 1.0,
                    "price_unit": 27.08,
                    "price_subtotal": 27.08,
                },
            ],
        )
        self.assertEqual(invoice.amount_untaxed, 110.33)
        self.assertEqual(invoice.partner_id, self.member.partner_id)
        self.assertEqual(invoice.journal_id.type, "sale")
        self.assertTrue(invoice.is_being_sent)  # e-mailed by account's sending job after the commit

    def test_invoiced_lines_locked(self):
        line = self._log(self.medior, 60, "2026-03-02")
        invoice = self.member.action_coop_invoice_now()
        self.assertTrue(line.coop_invoice_id)
        with self.assertRaises(UserError) as refused:
            line.unit_amount = 2.0
        self.assertIn("can no longer be changed", str(refused.exception))
        with self.assertRaises(UserError):
            line.unlink()
        self.assertEqual((line.unit_amount, line.coop_amount), (1.0, 82.80))
        self.assertTrue(invoice)

    def test_cancelled_invoice_lines_billable_again(self):
        line = self._log(self.medior, 60, "2026-03-02")
        first = self._run(date(2026, 3, 20))
        first.button_draft()
        first.button_cancel()
        self.assertEqual(first.state, "cancel")
        self.assertFalse(line.coop_invoice_line_id)
        self.assertEqual(self.member._get_uninvoiced_amount(), 82.80)
        second = self._run(date(2026, 3, 21))
        self.assertEqual(second.amount_untaxed, 82.80)
        self.assertEqual(line.coop_invoice_id, second)

    @freeze_time("2026-03-20")
    def test_invoice_now(self):
        last = self._past_service_invoice(self.member, date(2026, 3, 19))
        self._give_paid_guarantee(self.member, 5000.0)
        self._log(self.medior, 60, "2026-03-20")
        self.assertFalse(self._run(date(2026, 3, 20)))  # not due
        self.member.with_user(self.staff).action_coop_invoice_now()
        invoice = self._member_invoices(self.member) - last
        self.assertEqual((invoice.amount_untaxed, invoice.invoice_date), (82.80, date(2026, 3, 20)))
        with self.assertRaises(UserError) as refused:
            self.member.action_coop_invoice_now()
        self.assertIn("Nothing to invoice", str(refused.exception))
        self.assertEqual(self._member_invoices(self.member), last | invoice)

    def test_run_in_batches_invoices_each_due_member_once(self):
        members = self.member
        for name in ("Batch B", "Batch C"):
            members |= self._make_billing_member(name, self.basic_2021)
        for membership in members:
            task = self.env["project.task"].create(
                {"name": "Job", "project_id": self.env["project.project"]._coop_projects_of(membership).id}
            )
            self._log(self.medior, 60, "2026-03-02", task=task)
        invoices = self._run(date(2026, 3, 20), batch_size=2)
        self.assertEqual(invoices.coop_membership_id, members)
        self.assertFalse(self._run(date(2026, 3, 20)))
        self.assertEqual(round(sum(invoices.mapped("amount_untaxed")), 2), 248.40)

    def test_invoice_in_the_member_language(self):
        self.env["res.lang"]._activate_lang("fr_BE")
        self.env["ir.module.module"]._load_module_terms(["coop_24pm_timesheet_billing"], ["fr_BE"])
        self.member.partner_id.lang = "fr_BE"
        self._log(self.medior, 60, "2026-03-02")
        invoice = self._run(date(2026, 3, 20))
        sections = invoice.invoice_line_ids.filtered(lambda rec: rec.display_type == "line_section")
        self.assertEqual(sections.mapped("name"), ["Prestations", "Marge commerciale"])
        self.assertIn("Employé medior, tarif de groupe", invoice.invoice_line_ids[1].name)
