from datetime import date

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import GuaranteeCommon

LEGACY_COLUMNS = {
    "guarantee_refund_state": "varchar",
    "guarantee_refund_requested": "date",
    "guarantee_refund_deadline": "date",
}


def _load():
    return migration_util.load_script("coop_24pm_guarantee", "19.0.1.6.0", "end-migration")


@tagged("post_install", "-at_install")
class TestMigrationGuaranteeRefund(GuaranteeCommon):
    """Issue 21 (19.0.1.6.0): the refund of the guarantee after exit becomes a
    ``coop.guarantee.refund`` per membership whose refund was requested."""

    def test_requested_and_refunded_refunds_become_records(self):
        asked = self._make_member(self._make_company("Demandée SRL", vat="BE0403170701"))
        paid = self._make_member(self._make_company("Remboursée SRL", vat="BE0477472701"))
        untouched = self._make_member(self._make_company("Rien Demandé SRL", vat="BE0417497106"))
        self._receive_guarantee(paid, 1200.0)
        (asked | paid | untouched).action_terminate(date=self._d("2026-06-30"))
        gmove = self.env["coop.guarantee.move"].create(
            {"membership_id": paid.id, "operation": "refund", "amount": 1200.0, "date": "2026-08-03"}
        )
        gmove.action_post()
        # the to-do the old request scheduled on the membership, due on the refund's deadline
        activity = asked.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=date(2027, 7, 10), summary="Refund the guarantee balance"
        )
        other = asked.activity_schedule("mail.mail_activity_data_todo", date_deadline=date(2026, 12, 1))
        self._set_legacy_columns(
            asked,
            LEGACY_COLUMNS,
            guarantee_refund_state="requested",
            guarantee_refund_requested="2026-07-10",
            guarantee_refund_deadline="2027-07-10",
        )
        self._set_legacy_columns(
            paid,
            LEGACY_COLUMNS,
            guarantee_refund_state="refunded",
            guarantee_refund_requested="2026-07-01",
            guarantee_refund_deadline="2027-07-01",
        )
        script = _load()
        self.assertEqual(script.move_guarantee_refunds(self.env.cr), 2)
        self.assertEqual(script.move_guarantee_refunds(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertFalse(untouched.guarantee_refund_ids, "no request, no record")
        self.assertRecordValues(
            (asked | paid).guarantee_refund_ids.sorted(lambda r: r.membership_id.id),
            [
                {
                    "membership_id": asked.id,
                    "partner_id": asked.partner_id.id,
                    "company_id": asked.company_id.id,
                    "state": "requested",
                    "date_requested": date(2026, 7, 10),
                    "date_deadline": date(2027, 7, 10),
                    "date_refunded": False,
                    "amount": 0.0,
                    "guarantee_move_id": False,
                },
                {
                    "membership_id": paid.id,
                    "partner_id": paid.partner_id.id,
                    "company_id": paid.company_id.id,
                    "state": "refunded",
                    "date_requested": date(2026, 7, 1),
                    "date_deadline": date(2027, 7, 1),
                    "date_refunded": date(2026, 8, 3),
                    "amount": 1200.0,
                    "guarantee_move_id": gmove.id,
                },
            ],
        )
        self.assertEqual(asked.guarantee_refund_state, "requested")
        self.assertEqual(paid.guarantee_refund_state, "refunded")
        self.assertEqual(activity.res_model, "coop.guarantee.refund")
        self.assertEqual(activity.res_id, asked.guarantee_refund_ids.id)
        self.assertEqual(other.res_model, "coop.membership", "another to-do stays on the membership")
        # the migrated request is refunded as a new one
        asked.guarantee_refund_ids.action_refund()
        self.assertEqual(asked.guarantee_refund_state, "refunded")
        self.assertFalse(asked.guarantee_refund_ids.activity_ids)
        script.drop_refund_columns(self.env.cr)
        script.drop_refund_columns(self.env.cr)  # idempotent
        self.assertEqual(script.move_guarantee_refunds(self.env.cr), 0, "nothing left to move")
        self.assertFalse(set(LEGACY_COLUMNS) & migration_util.table_columns(self.env.cr, "coop_membership"))
