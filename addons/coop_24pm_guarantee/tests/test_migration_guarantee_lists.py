from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestMigrationGuaranteeLists(GuaranteeCommon):
    """Issue 21 (19.0.1.8.0): the movements, sureties and refund of a guarantee are read on
    the member's ``coop.guarantee``: each gets its membership's guarantee."""

    def test_records_get_their_membership_guarantee(self):
        member = self._make_member(self._make_company("Liée SRL", vat="BE0403170701"))
        gmove = self._receive_guarantee(member, 1000.0)
        surety = self.env["coop.surety"].create({"membership_id": member.id, "name": "Anne Caution", "amount": 500.0})
        self.assertEqual(member.guarantee_id.move_ids, gmove)
        self.assertEqual(member.guarantee_id.surety_ids, surety)
        self.env.flush_all()
        # as a database holds them before 19.0.1.8.0 was run
        self.env.cr.execute("UPDATE coop_guarantee_move SET guarantee_id = NULL WHERE id = %s", [gmove.id])
        self.env.cr.execute("UPDATE coop_surety SET guarantee_id = NULL WHERE id = %s", [surety.id])
        self.env.invalidate_all()
        self.assertFalse(member.guarantee_id.move_ids)
        script = migration_util.load_script("coop_24pm_guarantee", "19.0.1.8.0", "end-migration")
        self.assertEqual(script.link_to_guarantees(self.env.cr), 2)
        self.assertEqual(script.link_to_guarantees(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertEqual(member.guarantee_id.move_ids, gmove)
        self.assertEqual(member.guarantee_id.surety_ids, surety)
        self.assertEqual(member.guarantee_id.guarantee_balance, 1000.0)
