from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import GuaranteeCommon


def _load(module, version, script):
    return migration_util.load_script(module, version, script)


@tagged("post_install", "-at_install")
class TestMigrationJoinPayment(GuaranteeCommon):
    """Issue 21: the payment chosen online is the application's; a legacy membership's value
    moves to the concluded application created for it, then the column goes."""

    def test_legacy_payment_choice_moves_to_its_application(self):
        legacy = self._make_membership(self._make_company("Ancien Paiement SRL", vat="BE0403170701"))
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS join_payment_choice varchar, "
            "ADD COLUMN IF NOT EXISTS join_mandate_id integer"
        )
        self.env.cr.execute("UPDATE coop_membership SET join_payment_choice = 'prepayment' WHERE id = %s", [legacy.id])
        _load("coop_24pm_membership", "19.0.1.3.0", "end-migrate").link_memberships(self.env.cr)
        script = _load("coop_24pm_guarantee", "19.0.1.3.0", "end-migration")
        script.copy_to_applications(self.env.cr)
        self.env.invalidate_all()
        self.assertRecordValues(
            legacy.application_id,
            [{"state": "done", "membership_id": legacy.id, "join_payment_choice": "prepayment"}],
        )
        self.assertTrue(script.drop_columns(self.env.cr))
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name IN ('join_payment_choice', 'join_mandate_id')"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_membership_templates_read_the_mandate_on_the_application(self):
        template = self.env.ref("coop_24pm_guarantee.mail_template_join_mandate_confirmed")
        self._template_as_before_issue_21(template)
        _load("coop_24pm_guarantee", "19.0.1.3.0", "end-migration").update_templates(self.env.cr)
        self.env.invalidate_all()
        self.assertIn("object.application_id.join_mandate_id.unique_mandate_reference", template.body_html)
