from odoo import fields
from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step8(CoopCommon):
    """Issue 21, step 8: the migration of ``coop_24pm_membership`` 19.0.1.10.0 (the date
    the VAT number was last asked is the company's)."""

    def test_vat_reminder_date_moved_to_the_company_once(self):
        script = migration_util.load_script("coop_24pm_membership", "19.0.1.10.0", "pre-migration")
        member = self._make_member(self._make_company("Rappel TVA SRL"))
        self.env.flush_all()
        cr = self.env.cr
        # the membership's column as a database installed before holds it
        cr.execute("ALTER TABLE coop_membership ADD COLUMN date_vat_reminder date")
        cr.execute("UPDATE coop_membership SET date_vat_reminder = '2026-03-01' WHERE id = %s", [member.id])
        self.assertEqual(script.move_vat_reminder(cr), 1)
        self.env.invalidate_all()
        self.assertEqual(member.partner_id.coop_date_vat_reminder, fields.Date.to_date("2026-03-01"))
        self.assertNotIn("date_vat_reminder", migration_util.table_columns(cr, "coop_membership"))
        self.assertEqual(script.move_vat_reminder(cr), 0, "run again, nothing changes")
        self.assertEqual(member.partner_id.coop_date_vat_reminder, fields.Date.to_date("2026-03-01"))
