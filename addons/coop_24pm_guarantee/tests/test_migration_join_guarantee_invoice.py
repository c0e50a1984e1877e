from odoo.tests import tagged

from .common import GuaranteeCommon
from .test_migration_join_payment import _load


@tagged("post_install", "-at_install")
class TestMigrationJoinGuaranteeInvoice(GuaranteeCommon):
    """Issue 21, step 2 (19.0.1.4.0): the guarantee invoiced online is the application's (a
    membership's value moves to its application, then the column goes); the personal surety
    is a record of its own."""

    def _legacy_column(self, membership, move):
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS join_guarantee_move_id integer")
        self.env.cr.execute(
            "UPDATE coop_membership SET join_guarantee_move_id = %s WHERE id = %s", [move.id, membership.id]
        )

    def test_guarantee_invoice_moves_to_the_application(self):
        membership = self._make_member(self._make_company("Garantie Migrée SRL", vat="BE0477472701"))
        invoice = self._post_invoice(membership.partner_id, 1000.0)
        self._legacy_column(membership, invoice)
        script = _load("coop_24pm_guarantee", "19.0.1.4.0", "end-migration")
        script.copy_to_applications(self.env.cr)
        script.copy_to_applications(self.env.cr)  # idempotent
        self.env.invalidate_all()
        self.assertEqual(membership.application_id.join_guarantee_move_id, invoice)
        self.assertIn(invoice, membership.application_id.join_invoice_ids)
        self.assertTrue(script.drop_columns(self.env.cr))
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'coop_membership' AND column_name = 'join_guarantee_move_id'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_column_kept_while_a_membership_is_unlinked(self):
        legacy = self._make_membership(self._make_company("Garantie Seule SRL", vat="BE0403170701"))
        self.assertFalse(legacy.application_id)
        self._legacy_column(legacy, self._post_invoice(legacy.partner_id, 1000.0))
        script = _load("coop_24pm_guarantee", "19.0.1.4.0", "end-migration")
        script.copy_to_applications(self.env.cr)
        self.assertFalse(script.drop_columns(self.env.cr), "never lose a legacy membership's value")

    def test_surety_becomes_a_record_of_its_own(self):
        membership = self._make_member(self._make_company("Caution SRL", vat="BE0477472701"))
        other = self._make_member(self._make_company("Sans Caution SRL", vat="BE0403170701"))
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS surety_name varchar, "
            "ADD COLUMN IF NOT EXISTS surety_amount numeric, ADD COLUMN IF NOT EXISTS surety_contract_name varchar"
        )
        self.env.cr.execute(
            "UPDATE coop_membership SET surety_name = 'Jean Lumière', surety_amount = 5000.0, "
            "surety_contract_name = 'caution.pdf' WHERE id = %s",
            [membership.id],
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "surety_contract",
                "res_model": "coop.membership",
                "res_field": "surety_contract",
                "res_id": membership.id,
                "raw": b"%PDF-1.4 surety",
            }
        )
        script = _load("coop_24pm_guarantee", "19.0.1.4.0", "end-migration")
        self.assertEqual(script.move_sureties(self.env.cr), 1)
        self.assertEqual(script.move_sureties(self.env.cr), 0, "idempotent")
        # then 19.0.1.8.0's end script links it to the guarantee
        _load("coop_24pm_guarantee", "19.0.1.8.0", "end-migration").link_to_guarantees(self.env.cr)
        self.env.invalidate_all()
        self.assertFalse(other.guarantee_id.surety_ids)
        surety = membership.guarantee_id.surety_ids
        self.assertRecordValues(surety, [{"name": "Jean Lumière", "amount": 5000.0, "contract_name": "caution.pdf"}])
        self.assertRecordValues(
            attachment, [{"res_model": "coop.surety", "res_field": "contract", "res_id": surety.id}]
        )
        self.assertEqual(surety.contract, attachment.datas)
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name IN ('surety_name', 'surety_amount', 'surety_contract_name')"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
