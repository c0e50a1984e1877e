from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load(script):
    return migration_util.load_script("coop_24pm_membership", "19.0.1.8.0", script)


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step6(CoopCommon):
    """Issue 21, step 6: the migration of ``coop_24pm_membership`` 19.0.1.8.0 (the
    anonymisation date of a former member's personal data is the end's record, the weekly
    job ``coop.personal.data.retention``'s); run twice, it changes nothing more."""

    def test_anonymised_date_moves_to_the_end_record(self):
        ended = self._make_member(self._make_company("Fin Connue SRL", vat="BE0403170701"), date="2015-01-05")
        ended.action_terminate("2015-06-30")
        legacy = self._make_member(self._make_company("Fin Ancienne SRL", vat="BE0440127503"))
        serving = self._make_member(self._make_company("Toujours Là SRL", vat="BE0477472701"))
        self.assertTrue(ended.termination_id)
        self.env.flush_all()
        # a legacy former member without the end's record
        self.env.cr.execute(
            "UPDATE coop_membership SET state = 'terminated', date_end = '2014-12-31' WHERE id = %s", [legacy.id]
        )
        columns = {"coop_data_anonymised_date": "date"}
        self._set_legacy_columns(ended, columns, coop_data_anonymised_date="2025-07-02")
        self._set_legacy_columns(legacy, columns, coop_data_anonymised_date="2025-01-06")
        module = _load("post-migration")
        self.assertEqual(module.move_anonymised_dates(self.env.cr), 1, "the legacy former member gets its record")
        self.assertEqual(module.move_anonymised_dates(self.env.cr), 0, "idempotent")
        module.drop_moved_columns(self.env.cr)
        module.migrate(self.env.cr, "19.0.1.7.0")  # again: nothing left to move
        self.env.invalidate_all()
        self.assertFalse(serving.termination_id, "a membership never ended gets no record")
        self.assertRecordValues(
            ended.termination_id | legacy.termination_id,
            [
                {
                    "membership_id": ended.id,
                    "termination_type": "notice",
                    "coop_data_anonymised_date": date(2025, 7, 2),
                },
                {"membership_id": legacy.id, "termination_type": False, "coop_data_anonymised_date": date(2025, 1, 6)},
            ],
        )
        self.assertEqual(legacy.termination_id.company_id, legacy.company_id)
        self.assertEqual(str(legacy.termination_id.coop_data_retention_date), "2024-12-31", "10 years after its end")
        self.assertNotIn("coop_data_anonymised_date", migration_util.table_columns(self.env.cr, "coop_membership"))

    def test_personal_data_job_moves_to_the_retention(self):
        cron = self.env.ref("coop_24pm_membership.ir_cron_membership_personal_data_due")
        # the job as a database holds it before the upgrade
        cron.write(
            {
                "model_id": self.env["ir.model"]._get("coop.membership").id,
                "code": "model._cron_coop_personal_data_due()",
            }
        )
        module = _load("post-migration")
        for _run in range(2):
            module.migrate(self.env.cr, "19.0.1.7.0")
            self.env.invalidate_all()
            self.assertRecordValues(cron, [{"model_name": "coop.personal.data.retention", "code": "model._cron_due()"}])
        # and it lists a former member past its retention
        self.env.company.coop_data_retention_years = 10
        company = self._make_company("Ancien Membre SRL", vat="BE0202239951")
        membership = self._make_member(company, date="2026-01-05")
        self.env["res.partner"].create({"name": "Marc Contact", "email": "marc@example.com", "parent_id": company.id})
        membership.action_terminate("2026-06-30")
        with freeze_time("2036-07-01"):
            cron.ir_actions_server_id.run()
        activity_type = self.env.ref("coop_24pm_membership.mail_activity_coop_personal_data")
        self.assertEqual(len(membership.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)), 1)
