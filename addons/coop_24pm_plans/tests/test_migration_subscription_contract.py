from datetime import date

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopPlansCommon


def _load():
    return migration_util.load_script("coop_24pm_plans", "19.0.1.4.0", "post-migration")


@tagged("post_install", "-at_install")
class TestMigrationSubscriptionContract(CoopPlansCommon):
    """Issue 21: the migration of ``coop_24pm_plans`` 19.0.1.4.0 (the Partenaire trial and
    the strategist move from the membership to its subscription contract)."""

    LEGACY = {"trial_end_date": "date", "trial_done": "boolean", "strategist_id": "integer"}

    def _membership_columns(self):
        return migration_util.table_columns(self.env.cr, "coop_membership") & set(self.LEGACY)

    def test_trial_and_strategist_move_to_the_contract(self):
        strategist = self.env["res.users"].create({"name": "Stella Stratège", "login": "stella.migr@example.com"})
        closed = self._make_plan_member("Essai Clos SRL", self.partner_2021, "2025-01-01")
        running = self._make_plan_member("Essai Encours SRL", self.partner_2021, "2026-01-01")
        standard = self._make_plan_member("Sans Essai SRL", self.standard_2023, "2026-01-01")
        contracts = closed.contract_id | running.contract_id | standard.contract_id
        # as before 19.0.1.4.0: the trial and the strategist on the membership, none on the contract
        contracts.write({"coop_trial_end_date": False, "coop_trial_done": False})
        self._set_legacy_columns(closed, self.LEGACY, trial_end_date="2025-06-30", trial_done=True)
        self._set_legacy_columns(running, self.LEGACY, trial_end_date="2026-06-30", trial_done=False)
        self._set_legacy_columns(standard, self.LEGACY, strategist_id=strategist.id)
        self.env.invalidate_all()
        script = _load()
        self.assertEqual(script.move_to_contracts(self.env.cr), 3)
        self.assertEqual(script.move_to_contracts(self.env.cr), 0, "idempotent")
        self.assertFalse(script.note_strategists_without_contract(self.env))
        script.drop_columns(self.env.cr)
        script.drop_columns(self.env.cr)  # idempotent
        self.assertEqual(script.move_to_contracts(self.env.cr), 0, "nothing left to move")
        self.env.invalidate_all()
        self.assertRecordValues(
            contracts,
            [
                {"coop_trial_end_date": date(2025, 6, 30), "coop_trial_done": True, "coop_strategist_id": False},
                {"coop_trial_end_date": date(2026, 6, 30), "coop_trial_done": False, "coop_strategist_id": False},
                {"coop_trial_end_date": False, "coop_trial_done": False, "coop_strategist_id": strategist.id},
            ],
        )
        self.assertFalse(self._membership_columns())
        self.assertEqual(self.env["coop.strategy.item"]._coop_strategist(standard), strategist)

    def test_strategist_of_a_member_without_contract_is_noted(self):
        strategist = self.env["res.users"].create({"name": "Sam Stratège", "login": "sam.migr@example.com"})
        other = self._make_member(self._make_company("Pas de Plan SRL"))
        self.assertFalse(other.contract_id)
        self._set_legacy_columns(other, self.LEGACY, strategist_id=strategist.id)
        script = _load()
        self.assertEqual(script.move_to_contracts(self.env.cr), 0)
        self.assertEqual(script.note_strategists_without_contract(self.env), other)
        self.assertIn("Sam Stratège", other.message_ids[0].body)

    def test_cron_runs_on_the_contract(self):
        cron = self.env.ref("coop_24pm_plans.ir_cron_end_trials")
        cron.model_id = self.env["ir.model"]._get("coop.membership")
        _load().repoint_cron(self.env)
        self.assertEqual(cron.model_id.model, "contract.contract")
        self.assertEqual(cron.code, "model._cron_end_trials()")
