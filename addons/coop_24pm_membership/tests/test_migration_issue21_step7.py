from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step7(CoopCommon):
    """Issue 21, step 7: the migration of ``coop_24pm_membership`` 19.0.1.9.0 (the
    membership's tabs of records are smart buttons; the stored view naming the former
    fields is dropped before the form is loaded again)."""

    def test_stale_transfer_view_dropped_once(self):
        script = migration_util.load_script("coop_24pm_membership", "19.0.1.9.0", "pre-migration")
        view = self.env.ref("coop_24pm_membership.coop_membership_view_form_transfer")
        self.env.flush_all()
        self.assertEqual(script.drop_stale_views(self.env.cr), 1)
        self.env.invalidate_all()
        self.assertFalse(view.exists())
        self.assertFalse(self.env.ref("coop_24pm_membership.coop_membership_view_form_transfer", False))
        self.assertEqual(script.drop_stale_views(self.env.cr), 0, "run again, nothing changes")

    def test_smart_buttons_list_the_membership_records(self):
        """The form's buttons open the lists of this membership's records only."""
        member = self._make_member(self._make_company("Bouton SRL", vat="BE0477472701"))
        other = self._make_member(self._make_company("Autre SRL", vat="BE0403170701"))
        for membership in (member, other):
            membership.action_formal_notice(reason="Address outdated")
            self.env["coop.pm.change.request"].create({"membership_id": membership.id, "reason": "A Dutch speaker"})
        self.assertEqual(
            self._coop_smart_button_records(member, "coop_membership_suspension_action_membership"),
            member.suspension_id,
        )
        self.assertEqual(
            self._coop_smart_button_records(member, "coop_pm_change_request_action_membership").membership_id, member
        )
        self.assertFalse(self._coop_smart_button_records(member, "coop_regulation_change_action_membership"))
        form = self.env["coop.membership"].get_view(view_type="form")["arch"]
        for xmlid in (
            "coop_membership_suspension_action_membership",
            "coop_regulation_change_action_membership",
            "coop_pm_change_request_action_membership",
            "coop_membership_transfer_action_membership",
            "coop_membership_regulation_history_action_membership",
        ):
            action = self.env.ref(f"coop_24pm_membership.{xmlid}")
            self.assertIn(f'name="{action.id}"', form, f"the form opens {xmlid}")

    def test_crons_pointed_at_the_suspension_and_the_end(self):
        script = migration_util.load_script("coop_24pm_membership", "19.0.1.9.0", "post-migration")
        crons = [self.env.ref(xmlid) for xmlid, _model, _code in script.CRONS]
        for cron in crons:  # as a database installed before holds them
            cron.write({"model_id": self.env["ir.model"]._get("coop.membership").id})
        self.assertEqual(script.point_crons(self.env), 2)
        self.assertEqual(
            [cron.model_id.model for cron in crons], ["coop.membership.suspension", "coop.membership.termination"]
        )
        self.assertEqual(script.point_crons(self.env), 0, "run again, nothing changes")
        for cron in crons:  # the job runs on its model
            cron.method_direct_trigger()
