from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load(script):
    return migration_util.load_script("coop_24pm_membership", "19.0.1.7.0", script)


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step5(CoopCommon):
    """Issue 21, step 5: the migration of ``coop_24pm_membership`` 19.0.1.7.0 points the
    scheduled actions (``noupdate``) that left ``coop.membership`` at their new model; run
    twice, it changes nothing more."""

    def test_join_reminder_job_moves_to_the_applications(self):
        application = self._make_application(self._make_company("Rappel SRL"), origin="online")
        cron = self.env.ref("coop_24pm_membership.ir_cron_membership_join_reminder")
        # the job as a database holds it before the upgrade
        cron.write({"model_id": self.env["ir.model"]._get("coop.membership").id, "code": "model._cron_join_reminder()"})
        module = _load("post-migration")
        for _run in range(2):
            module.migrate(self.env.cr, "19.0.1.6.0")
            self.env.invalidate_all()
            self.assertRecordValues(
                cron, [{"model_name": "coop.membership.application", "code": "model._cron_join_reminder()"}]
            )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE coop_membership_application SET write_date = now() - interval '8 days' WHERE id = %s",
            [application.id],
        )
        self.env.invalidate_all()
        cron.ir_actions_server_id.run()
        self.assertTrue(application.date_join_reminder, "the abandoned application is reminded by the job")

    def test_vies_job_moves_to_the_vies_sync(self):
        partner = self._make_company("Brasserie du Parc SRL", vat="BE0477472701", street="Rue du Parc 12")
        self._make_member(partner)
        cron = self.env.ref("coop_24pm_membership.ir_cron_membership_vies_sync")
        cron.write({"model_id": self.env["ir.model"]._get("coop.membership").id, "code": "model._cron_vies_sync()"})
        module = _load("post-migration")
        for _run in range(2):
            module.migrate(self.env.cr, "19.0.1.6.0")
            self.env.invalidate_all()
            self.assertRecordValues(cron, [{"model_name": "coop.vies.sync", "code": "model._cron_sync()"}])
        answer = {"valid": True, "name": "BRASSERIE DU PARC SRL", "address": "RUE DU PARC 14\n1000 BRUXELLES"}
        with freeze_time("2026-02-06"), patch("stdnum.eu.vat.check_vies", return_value=answer):
            cron.ir_actions_server_id.run()
        self.assertRecordValues(partner, [{"street": "RUE DU PARC 14", "zip": "1000", "city": "BRUXELLES"}])
