from datetime import date

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopPlansCommon


def _load():
    return migration_util.load_script("coop_24pm_plans", "19.0.1.4.0", "post-migration")


@tagged("post_install", "-at_install")
class TestMigrationSubscriptionTrial(CoopPlansCommon):
    """Issue 21: the migration of ``coop_24pm_plans`` 19.0.1.4.0 (the Partenaire trial
    moves from the membership to its subscription contract)."""

    def _legacy_trial(self, membership, **values):
        """The trial's columns as a database holds them on the membership before 19.0.1.4.0."""
        self._set_legacy_columns(membership, {"trial_end_date": "date", "trial_done": "boolean"}, **values)

    def _membership_columns(self):
        return migration_util.table_columns(self.env.cr, "coop_membership") & {"trial_end_date", "trial_done"}

    def test_trial_moves_to_the_contract(self):
        closed = self._make_plan_member("Essai Clos SRL", self.partner_2021, "2025-01-01")
        running = self._make_plan_member("Essai Encours SRL", self.partner_2021, "2026-01-01")
        standard = self._make_plan_member("Sans Essai SRL", self.standard_2023, "2026-01-01")
        contracts = (closed | running | standard).contract_id
        # as before 19.0.1.4.0: the trial on the membership, none on the contract
        contracts.write({"coop_trial_end_date": False, "coop_trial_done": False})
        self._legacy_trial(closed, trial_end_date="2025-06-30", trial_done=True)
        self._legacy_trial(running, trial_end_date="2026-06-30", trial_done=False)
        self.env.invalidate_all()
        script = _load()
        self.assertEqual(script.move_trial_values(self.env.cr), 2)
        self.assertEqual(script.move_trial_values(self.env.cr), 0, "idempotent")
        self.assertTrue(script.drop_trial_columns(self.env.cr))
        self.assertTrue(script.drop_trial_columns(self.env.cr), "idempotent")
        self.assertEqual(script.move_trial_values(self.env.cr), 0, "nothing left to move")
        self.env.invalidate_all()
        self.assertRecordValues(
            closed.contract_id | running.contract_id | standard.contract_id,
            [
                {"coop_trial_end_date": date(2025, 6, 30), "coop_trial_done": True},
                {"coop_trial_end_date": date(2026, 6, 30), "coop_trial_done": False},
                {"coop_trial_end_date": False, "coop_trial_done": False},
            ],
        )
        self.assertFalse(self._membership_columns())

    def test_columns_kept_while_a_trial_has_no_contract(self):
        member = self._make_plan_member("Sans Contrat SRL", self.standard_2023, "2026-01-01")
        other = self._make_member(self._make_company("Pas Activé SRL"))
        self.assertFalse(other.contract_id)
        self._legacy_trial(member)
        self._legacy_trial(other, trial_end_date="2026-06-30", trial_done=False)
        script = _load()
        script.move_trial_values(self.env.cr)
        self.assertFalse(script.drop_trial_columns(self.env.cr), "the trial would be lost")
        self.assertEqual(self._membership_columns(), {"trial_end_date", "trial_done"})

    def test_cron_runs_on_the_contract(self):
        cron = self.env.ref("coop_24pm_plans.ir_cron_end_trials")
        cron.model_id = self.env["ir.model"]._get("coop.membership")
        _load().repoint_cron(self.env)
        self.assertEqual(cron.model_id.model, "contract.contract")
        self.assertEqual(cron.code, "model._cron_end_trials()")
