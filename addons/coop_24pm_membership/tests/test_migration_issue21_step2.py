import importlib.util

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import CoopCommon


def _load(script):
    path = file_path(f"coop_24pm_membership/migrations/19.0.1.4.0/{script}.py")
    spec = importlib.util.spec_from_file_location(f"coop_24pm_membership_19_0_1_4_0_{script.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
