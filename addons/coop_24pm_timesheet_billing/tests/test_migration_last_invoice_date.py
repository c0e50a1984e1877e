from datetime import date

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopBillingCommon

COLUMN = "coop_last_service_invoice_date"


@tagged("post_install", "-at_install")
class TestMigrationLastInvoiceDate(CoopBillingCommon):
    """Issue 21: the end-migration of ``coop_24pm_timesheet_billing`` 19.0.1.3.0 drops the
    stored date of the last service invoice only when every membership's value is the latest
    invoice date of its posted service invoices (what ``_get_due_facts`` reads now)."""

    def _legacy_column(self, values):
        """The column as stored before this version: ``values`` {membership: date}, the
        other memberships their derived date (what the billing run wrote)."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(f"ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS {COLUMN} date")
        cr.execute(
            f"""
            UPDATE coop_membership m
               SET {COLUMN} = (SELECT MAX(move.invoice_date) FROM account_move move
                                WHERE move.coop_membership_id = m.id AND move.coop_is_service_invoice
                                  AND move.state = 'posted')
            """
        )
        for membership, value in values.items():
            cr.execute(f"UPDATE coop_membership SET {COLUMN} = %s WHERE id = %s", [value, membership.id])

    def _has_column(self):
        return COLUMN in migration_util.table_columns(self.env.cr, "coop_membership")

    def _script(self):
        return migration_util.load_script("coop_24pm_timesheet_billing", "19.0.1.3.0", "end-migration")

    def test_dropped_when_every_stored_date_is_derived(self):
        invoice = self._past_service_invoice(self.member, date(2026, 3, 17))
        cancelled = self._past_service_invoice(self.member, date(2026, 3, 19))
        cancelled.button_draft()
        cancelled.button_cancel()
        # what the cancellation wrote: the rhythm restarts from the invoice still standing
        self._legacy_column({self.member: invoice.invoice_date})
        script = self._script()
        self.assertEqual(script.differing_memberships(self.env.cr), [])
        self.assertTrue(script.drop_last_invoice_date(self.env.cr))
        self.assertFalse(self._has_column())
        self.assertTrue(script.drop_last_invoice_date(self.env.cr), "idempotent")
        facts = self.env["coop.service.pricing"]._get_due_facts(self.member)[self.member.id]
        self.assertEqual(facts["last_invoice"], date(2026, 3, 17))

    def test_kept_and_logged_when_a_stored_date_differs(self):
        self._past_service_invoice(self.member, date(2026, 3, 17))
        other = self._make_billing_member("Set By Hand")
        self._legacy_column({self.member: date(2026, 3, 18), other: date(2026, 3, 5)})
        script = self._script()
        with self.assertLogs(script.__name__, "WARNING") as logs:
            self.assertFalse(script.drop_last_invoice_date(self.env.cr))
        self.assertIn(f"({self.member.id}, datetime.date(2026, 3, 18), datetime.date(2026, 3, 17))", logs.output[0])
        self.assertIn(f"({other.id}, datetime.date(2026, 3, 5), None)", logs.output[0])
        self.assertTrue(self._has_column(), "no member's rhythm changes unseen")
        with self.assertLogs(script.__name__, "WARNING"):
            self.assertFalse(script.drop_last_invoice_date(self.env.cr), "idempotent")
        self.assertTrue(self._has_column())
