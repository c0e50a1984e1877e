from odoo.tests import TransactionCase, tagged

from odoo.addons.coop_24pm_membership import migration_util


@tagged("post_install", "-at_install")
class TestMigrationFundedWork(TransactionCase):
    """Issue 21: the pre-migration of ``coop_24pm_timesheet_billing`` 19.0.1.2.0 removes the
    membership form's funded-work view as stored before (it read the membership's former
    funded fields); the module loads it again."""

    def test_stale_funded_view_removed_then_loaded_again(self):
        view = self.env.ref("coop_24pm_timesheet_billing.coop_membership_view_form_funded_work")
        script = migration_util.load_script("coop_24pm_timesheet_billing", "19.0.1.2.0", "pre-migration")
        self.assertEqual(script.drop_stale_views(self.env.cr), 1)
        self.assertEqual(script.drop_stale_views(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertFalse(view.exists())
        self.assertFalse(
            self.env.ref("coop_24pm_timesheet_billing.coop_membership_view_form_funded_work", raise_if_not_found=False)
        )
        # the billing form is valid without it (the module's load creates it again)
        self.env["coop.membership"].get_view(
            self.env.ref("coop_24pm_timesheet_billing.coop_membership_view_form_billing").id, "form"
        )

    def test_19_0_1_4_0_removes_the_view_before_the_list_of_projects(self):
        """19.0.1.4.0 (the projects' list became a smart button) runs the same step on update only."""
        script = migration_util.load_script("coop_24pm_timesheet_billing", "19.0.1.4.0", "pre-migration")
        script.migrate(self.env.cr, None)
        self.assertTrue(
            self.env.ref("coop_24pm_timesheet_billing.coop_membership_view_form_funded_work", raise_if_not_found=False),
            "a fresh install keeps it",
        )
        script.migrate(self.env.cr, "19.0.1.3.0")
        script.migrate(self.env.cr, "19.0.1.3.0")
        self.env.invalidate_all()
        self.assertFalse(
            self.env.ref("coop_24pm_timesheet_billing.coop_membership_view_form_funded_work", raise_if_not_found=False)
        )
