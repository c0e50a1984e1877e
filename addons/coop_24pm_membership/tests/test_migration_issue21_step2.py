from odoo import fields
from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load(script):
    return migration_util.load_script("coop_24pm_membership", "19.0.1.4.0", script)


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step2(CoopCommon):
    """Issue 21, step 2: the migration of ``coop_24pm_membership`` 19.0.1.4.0."""

    def _old_template(self, name):
        """A membership template as a database installed before 19.0.1.4.0 holds it (``noupdate``)."""
        template = self.env["mail.template"].create(
            {
                "name": name,
                "model_id": self.env["ir.model"]._get_id("coop.membership"),
                "subject": "{{ object.name }}",
                "body_html": "<p>old</p>",
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "coop_24pm_membership",
                "name": name,
                "model": "mail.template",
                "res_id": template.id,
                "noupdate": True,
            }
        )
        return template

    def test_unused_membership_templates_deleted(self):
        script = _load("end-migrate")
        templates = self.env["mail.template"]
        for name in script.UNUSED_TEMPLATES:
            self.assertFalse(self.env.ref(f"coop_24pm_membership.{name}", raise_if_not_found=False))
            templates |= self._old_template(name)
        kept = self.env.ref("coop_24pm_membership.mail_template_join_invoices")
        self.assertEqual(script.delete_unused_templates(self.env.cr), 3)
        self.assertFalse(templates.exists())
        for name in script.UNUSED_TEMPLATES:
            self.assertFalse(self.env.ref(f"coop_24pm_membership.{name}", raise_if_not_found=False))
        self.assertTrue(kept.exists())
        self.assertEqual(script.delete_unused_templates(self.env.cr), 0, "idempotent")

    def _legacy_journey_columns(self, membership, **values):
        """The journey's columns as a database holds them before 19.0.1.4.0."""
        columns = {"join_share_move_id": "integer", "date_join_reminder": "date", "join_mail_keys": "varchar"}
        self._set_legacy_columns(membership, columns, **values)

    def test_journey_values_move_to_the_application(self):
        membership = self._make_member(self._make_company("Parcours SRL", vat="BE0477472701"))
        application = membership.application_id
        invoice = application._coop_join_create_share_invoice()
        application.join_mail_keys = "applied,signed"
        self._legacy_journey_columns(
            membership, join_share_move_id=invoice.id, date_join_reminder="2026-02-03", join_mail_keys="invoices,active"
        )
        script = _load("end-migrate")
        script.move_journey_values(self.env.cr)
        script.move_journey_values(self.env.cr)  # idempotent
        self.env.invalidate_all()
        self.assertRecordValues(
            application,
            [
                {
                    "join_share_move_id": invoice.id,
                    "date_payment_reminder": fields.Date.to_date("2026-02-03"),
                    "join_mail_keys": "active,applied,invoices,signed",
                }
            ],
        )
        self.assertEqual(application.join_invoice_ids, invoice)
        self.assertTrue(script.drop_journey_columns(self.env.cr))
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name IN ('join_share_move_id', 'date_join_reminder', 'join_mail_keys')"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_journey_columns_kept_while_a_membership_is_unlinked(self):
        legacy = self._make_membership(self._make_company("Sans Dossier SRL", vat="BE0403170701"))
        self.assertFalse(legacy.application_id)
        self._legacy_journey_columns(legacy, join_mail_keys="invoices")
        script = _load("end-migrate")
        script.move_journey_values(self.env.cr)
        self.assertFalse(script.drop_journey_columns(self.env.cr))
        self.env.cr.execute("SELECT join_mail_keys FROM coop_membership WHERE id = %s", [legacy.id])
        self.assertEqual(self.env.cr.fetchone()[0], "invoices", "never lose a legacy membership's values")

    def test_invoice_template_reads_the_application(self):
        """The template is ``noupdate``: the migration rewrites its body in every language."""
        template = self.env.ref("coop_24pm_membership.mail_template_join_invoices")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = replace(body_html::text, 'object.application_id.join_invoice_ids', "
            "'object.join_invoice_ids')::jsonb WHERE id = %s",
            [template.id],
        )
        self.env.invalidate_all()
        self.assertNotIn("application_id", template.body_html)
        script = _load("end-migrate")
        script.update_invoice_templates(self.env.cr)
        script.update_invoice_templates(self.env.cr)  # idempotent
        self.env.invalidate_all()
        self.assertIn("object.application_id.join_invoice_ids", template.body_html)
        self.assertNotIn("application_id.application_id", template.body_html)
