from datetime import date

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestTimesheetPriceHooks(CoopBillingCommon):
    """Art. 2, 6.2: the price of a timesheet is written by hr_timesheet's
    ``_timesheet_postprocess_values`` with what it depends on, and an invoiced line keeps
    what was billed (``_check_can_write``), whatever path writes it."""

    def _other_invoice(self):
        """A customer invoice of the member made in Odoo, outside the billing run."""
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.member.partner_id.id,
                "invoice_date": "2026-03-20",
                "invoice_line_ids": [Command.create({"name": "Other", "quantity": 1.0, "price_unit": 10.0})],
            }
        )

    def test_price_follows_the_time_written(self):
        line = self._log(self.medior, 60, "2026-03-02")
        self.assertRecordValues(line, [{"coop_billable_hours": 1.0, "coop_rate": 60.0, "coop_amount": 82.80}])
        line.write({"unit_amount": 1.1, "employee_id": self.junior.id})
        # 66 minutes: 1.25 h x 45.00 x 1.38
        self.assertRecordValues(
            line,
            [
                {
                    "coop_category_id": self.cat_junior.id,
                    "coop_rounded_hours": 1.25,
                    "coop_billable_hours": 1.25,
                    "coop_rate": 45.0,
                    "coop_amount": 77.63,
                }
            ],
        )

    def test_service_of_the_task_reprices_uninvoiced_time(self):
        medior_rate = self.env["coop.group.rate"].search(
            [("product_id", "=", self.service.id), ("category_id", "=", self.cat_medior.id)]
        )
        other_service = self.service.copy({"name": "Other service"})
        medior_rate.copy({"product_id": other_service.id, "rate": 70.0})
        line = self._log(self.medior, 60, "2026-03-02")
        self.task.coop_product_id = other_service
        self.assertRecordValues(line, [{"coop_rate": 70.0, "coop_amount": 96.60}])

    def test_invoiced_price_cannot_be_written(self):
        line = self._log(self.medior, 60, "2026-03-02")
        invoice = self._invoice_members(self.member, date(2026, 3, 31))
        self.assertEqual(line.coop_invoice_id, invoice)
        for vals in ({"coop_amount": 1.0}, {"coop_rate": 1.0}, {"coop_billable_hours": 0.25}, {"date": "2026-03-03"}):
            with self.subTest(vals=vals), self.assertRaises(UserError) as refused:
                line.write(vals)
            self.assertEqual(
                str(refused.exception),
                f"These timesheet lines are on a service invoice and can no longer be changed: {invoice.name}",
            )
        self.assertRecordValues(
            line, [{"date": line.date, "coop_billable_hours": 1.0, "coop_rate": 60.0, "coop_amount": 82.80}]
        )

    def test_odoo_linking_and_posting_reprice_nothing(self):
        """sale_timesheet links timesheets to an invoice and posting recomputes their
        project: neither changes a price, even when the rate it came from changed since."""
        billed = self._log(self.medior, 60, "2026-03-02")
        self._invoice_members(self.member, date(2026, 3, 31))
        open_line = self._log(self.medior, 60, "2026-03-03")
        # Marie becomes a senior: a reprice would give her time the senior rate
        self.medior.coop_category_id = self.cat_senior
        invoice = self._other_invoice()
        (billed | open_line).write({"timesheet_invoice_id": invoice.id})
        invoice.action_post()
        self.assertRecordValues(
            billed | open_line,
            [
                {"coop_category_id": self.cat_medior.id, "coop_rate": 60.0, "coop_amount": 82.80},
                {"coop_category_id": self.cat_medior.id, "coop_rate": 60.0, "coop_amount": 82.80},
            ],
        )
