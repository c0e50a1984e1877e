from datetime import date, datetime

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load(script):
    return migration_util.load_script("coop_24pm_membership", "19.0.1.6.0", script)


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step4(CoopCommon):
    """Issue 21, step 4: the migration of ``coop_24pm_membership`` 19.0.1.6.0 (the formal
    notice and the suspension become a ``coop.membership.suspension``)."""

    def _legacy_suspension_columns(self, membership, **values):
        """The columns as a database holds them on the membership before 19.0.1.6.0."""
        columns = {
            "date_formal_notice": "timestamp",
            "formal_notice_reason": "text",
            "date_suspended": "date",
            "state_before_suspension": "varchar",
            "suspension_reason": "text",
        }
        self._set_legacy_columns(membership, columns, **values)

    def test_suspension_facts_become_an_episode_in_progress(self):
        suspended = self._make_member(self._make_company("Suspendue Jadis SRL", vat="BE0403170701"))
        noticed = self._make_member(self._make_company("Mise En Demeure SRL", vat="BE0440127503"))
        serving = self._make_member(self._make_company("Toujours Là SRL", vat="BE0477472701"))
        self._legacy_suspension_columns(
            suspended,
            date_formal_notice="2025-03-12 10:00:00",
            formal_notice_reason="The registered office moved",
            date_suspended="2025-03-14",
            state_before_suspension="active",
            suspension_reason="Suspended 48 hours after the formal notice",
        )
        self._legacy_suspension_columns(noticed, formal_notice_reason="The VAT number changed")
        self.env.cr.execute("UPDATE coop_membership SET state = 'suspended' WHERE id = %s", [suspended.id])
        script = _load("end-migrate")
        self.assertEqual(script.move_suspension_values(self.env.cr), 2)
        self.assertEqual(script.move_suspension_values(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertFalse(serving.suspension_id, "a membership never put on formal notice gets no episode")
        self.assertRecordValues(
            suspended.suspension_id | noticed.suspension_id,
            [
                {
                    "membership_id": suspended.id,
                    "company_id": suspended.company_id.id,
                    "state": "suspended",
                    "date_formal_notice": datetime(2025, 3, 12, 10, 0),
                    "formal_notice_reason": "The registered office moved",
                    "date_suspended": date(2025, 3, 14),
                    "state_before_suspension": "active",
                    "suspension_reason": "Suspended 48 hours after the formal notice",
                    "date_lifted": False,
                },
                {
                    "membership_id": noticed.id,
                    "company_id": noticed.company_id.id,
                    "state": "formal_notice",
                    "date_formal_notice": False,
                    "formal_notice_reason": "The VAT number changed",
                    "date_suspended": False,
                    "state_before_suspension": False,
                    "suspension_reason": False,
                    "date_lifted": False,
                },
            ],
        )
        episodes = self.env["coop.membership.suspension"].search([("membership_id", "=", suspended.id)])
        self.assertEqual(episodes, suspended.suspension_id)
        script.drop_suspension_columns(self.env.cr)
        script.drop_suspension_columns(self.env.cr)  # idempotent
        self.assertEqual(script.move_suspension_values(self.env.cr), 0, "nothing left to move")
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name = ANY(%s)",
            [list(script.MOVED_COLUMNS)],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # the migrated suspension is lifted as any other: back to its state before
        suspended.action_resume()
        self.assertEqual(suspended.state, "active")
        self.assertFalse(suspended.suspension_id)

    def test_formal_notice_template_reads_the_episode(self):
        """The template is ``noupdate``: the migration rewrites its body in every language."""
        self.env["res.lang"]._activate_lang("fr_BE")
        template = self.env.ref("coop_24pm_membership.mail_template_membership_formal_notice")
        template.with_context(lang="fr_BE").body_html = (
            '<div><p>Les données suivantes sont erronées :</p><p><t t-out="object.suspension_id.formal_notice_reason"/>'
            "</p></div>"
        )
        self._template_as_before_issue_21(template, path="suspension_id")
        self.assertNotIn("suspension_id", template.with_context(lang="fr_BE").body_html)
        script = _load("end-migrate")
        script.update_templates(self.env.cr)
        script.update_templates(self.env.cr)  # idempotent
        self.env.invalidate_all()
        for lang in ("en_US", "fr_BE"):
            body = template.with_context(lang=lang).body_html
            self.assertIn("object.suspension_id.formal_notice_reason", body, lang)
            self.assertNotIn("suspension_id.suspension_id", body, lang)
        # and it renders the episode's reason
        member = self._make_member(self._make_company("Lecteur SRL", vat="BE0403170701"))
        member.action_formal_notice("The registered office moved")
        rendered = template._render_field("body_html", member.ids)[member.id]
        self.assertIn("The registered office moved", rendered)
