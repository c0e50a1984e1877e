from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load(script):
    return migration_util.load_script("coop_24pm_membership", "19.0.1.3.0", script)


@tagged("post_install", "-at_install")
class TestMigrationMembershipApplication(CoopCommon):
    """Issue 21: the membership points to its application; a legacy membership (no
    application) gets a concluded one holding the journey's values it carried."""

    def _legacy_columns(self):
        """The journey's columns as the database holds them before the migration."""
        self.env.cr.execute(
            "ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS acceptance varchar, "
            "ADD COLUMN IF NOT EXISTS origin varchar, ADD COLUMN IF NOT EXISTS signatory_name varchar, "
            "ADD COLUMN IF NOT EXISTS signatory_capacity varchar, "
            "ADD COLUMN IF NOT EXISTS signatory_has_power boolean, "
            "ADD COLUMN IF NOT EXISTS date_sent date, ADD COLUMN IF NOT EXISTS refusal_reason text, "
            "ADD COLUMN IF NOT EXISTS signed_by_user_id integer"
        )

    def test_legacy_membership_unlinked_keeps_its_columns(self):
        """The columns are never dropped while a membership has no application."""
        legacy = self._make_membership(self._make_company("Seule SRL", vat="BE0403170701"))
        self.env.flush_all()
        self._legacy_columns()
        self.assertFalse(legacy.application_id)
        self.assertFalse(_load("end-migrate").drop_journey_columns(self.env.cr))
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name IN ('acceptance', 'origin', 'signatory_name')"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 3)

    def test_memberships_linked_and_legacy_values_kept(self):
        concluded = self._make_member(self._make_company("Conclue SRL", vat="BE0477472701"))
        application = concluded.application_id
        legacy = self._make_membership(
            self._make_company("Ancienne SRL", vat="BE0403170701"),
            date_application="2020-03-02",
            date_signed="2020-03-05",
        )
        self.assertFalse(legacy.application_id)
        self.env.flush_all()
        self._legacy_columns()
        self.env.cr.execute(
            "UPDATE coop_membership SET application_id = NULL, acceptance = 'auto', origin = 'staff', "
            "signatory_name = 'Anne Ancienne', signatory_capacity = 'Gérante', signatory_has_power = TRUE, "
            "date_sent = '2020-03-03' WHERE id IN %s",
            [(concluded.id, legacy.id)],
        )
        script = _load("end-migrate")
        created = script.link_memberships(self.env.cr)
        self.env.invalidate_all()
        self.assertEqual(len(created), 1)
        self.assertEqual(concluded.application_id, application, "linked to the application it concluded from")
        self.assertRecordValues(
            legacy.application_id,
            [
                {
                    "state": "done",
                    "membership_id": legacy.id,
                    "partner_id": legacy.partner_id.id,
                    "acceptance": "auto",
                    "origin": "staff",
                    "signatory_name": "Anne Ancienne",
                    "signatory_capacity": "Gérante",
                    "signatory_has_power": True,
                    "date_sent": legacy.date_application.replace(day=3),
                    "date_signed": legacy.date_signed,
                }
            ],
        )
        self.assertTrue(script.drop_journey_columns(self.env.cr))
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name IN ('acceptance', 'origin', 'signatory_name')"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_membership_templates_read_the_application(self):
        """The templates are ``noupdate``: the migration rewrites their body in every language."""
        # the template left the data files in 19.0.1.4.0 (sent by nobody): as an old database holds it
        template = self.env["mail.template"].create(
            {
                "name": "Cooperative journey: contract signed",
                "model_id": self.env["ir.model"]._get_id("coop.membership"),
                "body_html": "<p><t t-out='object.signatory_name'/> as <t t-out='object.signatory_capacity'/></p>",
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "coop_24pm_membership",
                "name": "mail_template_join_signed",
                "model": "mail.template",
                "res_id": template.id,
                "noupdate": True,
            }
        )
        self.env.flush_all()
        _load("end-migrate").update_templates(self.env.cr)
        self.env.invalidate_all()
        self.assertIn("object.application_id.signatory_name", template.body_html)
        self.assertIn("object.application_id.signatory_capacity", template.body_html)
        self.assertNotIn("application_id.application_id", template.body_html)
