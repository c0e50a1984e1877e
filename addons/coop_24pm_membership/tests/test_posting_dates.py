from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestPostingDates(CoopCommon):
    """The date an entry is posted on is Odoo's ``account.move._get_accounting_date``:
    the entries the suite posts (``_coop_post``) go to the first open day after a lock
    date and say so, the document date stays; Odoo's own documents keep Odoo's dating."""

    def test_suite_entry_in_locked_period_takes_the_hook_date(self):
        self.env.company.sudo().fiscalyear_lock_date = "2026-01-31"
        membership = self._make_member(self._make_company("Verrou SRL", vat="BE0477472701"), date="2026-01-10")
        move = membership.share_line_ids.move_id
        hook_date = move.with_context(coop_post_dating=True)._get_accounting_date(
            date(2026, 1, 10), move._affect_tax_report()
        )
        self.assertEqual(hook_date, date(2026, 2, 1))
        self.assertRecordValues(move, [{"state": "posted", "invoice_date": date(2026, 1, 10), "date": hook_date}])
        self.assertTrue(move.message_ids.filtered(lambda m: "period of 2026-01-10 is closed" in str(m.body)))

    def test_suite_entry_in_open_period_keeps_its_date(self):
        membership = self._make_member(self._make_company("Ouvert SRL", vat="BE0477472701"), date="2026-01-10")
        move = membership.share_line_ids.move_id
        self.assertRecordValues(
            move, [{"state": "posted", "invoice_date": date(2026, 1, 10), "date": date(2026, 1, 10)}]
        )
        self.assertFalse(move.message_ids.filtered(lambda m: "is closed" in str(m.body)))

    def test_odoo_document_in_locked_period_keeps_odoo_dating(self):
        self.env.company.sudo().fiscalyear_lock_date = "2026-01-31"
        with freeze_time("2026-03-15"):
            invoice = self.init_invoice("out_invoice", invoice_date="2026-01-10", amounts=[100.0])
            expected = invoice._get_accounting_date(invoice.invoice_date, invoice._affect_tax_report())
            invoice.action_post()
        self.assertEqual(invoice.date, expected)
        self.assertNotEqual(invoice.date, date(2026, 2, 1))
