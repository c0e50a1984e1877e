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
        # then 19.0.1.8.0's end script links them to the guarantee
        migration_util.load_script("coop_24pm_guarantee", "19.0.1.8.0", "end-migration").link_to_guarantees(self.env.cr)
        self.env.invalidate_all()
        self.assertFalse(untouched.guarantee_id.refund_id, "no request, no record")
        self.assertRecordValues(
            (asked | paid).guarantee_id.refund_id.sorted(lambda r: r.membership_id.id),
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
        self.assertEqual(asked.guarantee_id.refund_id.state, "requested")
        self.assertEqual(paid.guarantee_id.refund_id.state, "refunded")
        self.assertEqual(activity.res_model, "coop.guarantee.refund")
        self.assertEqual(activity.res_id, asked.guarantee_id.refund_id.id)
        self.assertEqual(other.res_model, "coop.membership", "another to-do stays on the membership")
        # the migrated request is refunded as a new one
        asked.guarantee_id.refund_id.action_refund()
        self.assertEqual(asked.guarantee_id.refund_id.state, "refunded")
        self.assertFalse(asked.guarantee_id.refund_id.activity_ids)
        script.drop_refund_columns(self.env.cr)
        script.drop_refund_columns(self.env.cr)  # idempotent
        self.assertEqual(script.move_guarantee_refunds(self.env.cr), 0, "nothing left to move")
        self.assertFalse(set(LEGACY_COLUMNS) & migration_util.table_columns(self.env.cr, "coop_membership"))


@tagged("post_install", "-at_install")
class TestMigrationMandateNotice(GuaranteeCommon):
    """Issue 21 (19.0.1.6.0): the notice after repeated rejected debits is held by the
    rejection that triggered it, no longer by the membership."""

    def test_the_notice_moves_to_the_latest_rejection(self):
        partner = self._make_company("Rejetée SRL", vat="BE0403170701")
        member = self._make_member(partner)
        quiet = self._make_member(self._make_company("Sans Avis SRL", vat="BE0477472701"))
        invoice = self._post_invoice(partner, 500.0, date="2026-02-01", due="2026-03-03")
        Rejection = self.env["coop.debit.rejection"]
        first = Rejection.create({"invoice_id": invoice.id, "reason": "AM04", "date": "2026-02-12"})
        second = Rejection.create({"invoice_id": invoice.id, "reason": "AM04", "date": "2026-02-20"})
        notice = member.notice_ids.filtered(lambda n: n.kind == "mandate_notice")
        self.assertEqual(len(notice), 1)
        # as before 19.0.1.6.0: the membership held the notice, sent about no document
        (first | second).write({"mandate_notice_date": False, "mandate_notice_deadline": False})
        notice.write({"res_model": False, "res_id": False})
        columns = {"mandate_notice_date": "date", "mandate_notice_deadline": "date"}
        self._set_legacy_columns(
            member, columns, mandate_notice_date="2026-02-20", mandate_notice_deadline="2026-03-05"
        )
        self._set_legacy_columns(quiet, columns)
        script = _load()
        self.assertEqual(script.move_mandate_notices(self.env.cr), 1)
        self.assertEqual(script.move_mandate_notices(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertRecordValues(
            first | second,
            [
                {"mandate_notice_date": False, "mandate_notice_deadline": False},
                {"mandate_notice_date": date(2026, 2, 20), "mandate_notice_deadline": date(2026, 3, 5)},
            ],
        )
        self.assertFalse(self.env["coop.debit.rejection"].search([("membership_id", "=", quiet.id)]))
        self.assertEqual(notice._coop_document(), second)
        self.assertTrue(script.drop_notice_columns(self.env.cr))
        self.assertTrue(script.drop_notice_columns(self.env.cr))  # idempotent
        self.assertFalse(set(columns) & migration_util.table_columns(self.env.cr, "coop_membership"))
        # renewed: no notice in force any more
        second.action_coop_mandate_renewed()
        self.assertFalse(second.mandate_notice_date)

    def test_a_notice_without_any_rejection_keeps_the_columns(self):
        member = self._make_member(self._make_company("Avis Seul SRL", vat="BE0403170701"))
        self._set_legacy_columns(
            member, {"mandate_notice_date": "date", "mandate_notice_deadline": "date"}, mandate_notice_date="2026-02-20"
        )
        script = _load()
        self.assertEqual(script.move_mandate_notices(self.env.cr), 0)
        self.assertFalse(script.drop_notice_columns(self.env.cr), "nothing is lost")
        self.assertIn("mandate_notice_date", migration_util.table_columns(self.env.cr, "coop_membership"))


@tagged("post_install", "-at_install")
class TestMigrationGuaranteeFollowup(GuaranteeCommon):
    """Issue 21 (19.0.1.6.0): the follow-up job (``noupdate``) runs on its own model."""

    def test_the_followup_job_is_pointed_at_its_model(self):
        cron = self.env.ref("coop_24pm_guarantee.ir_cron_guarantee_followup")
        followup = self.env["ir.model"]._get("coop.guarantee.followup")
        self.assertEqual(cron.model_id, followup)
        # as a database holds it before 19.0.1.6.0
        cron.model_id = self.env["ir.model"]._get("coop.membership")
        script = _load()
        self.assertTrue(script.point_followup_cron(self.env.cr))
        self.assertFalse(script.point_followup_cron(self.env.cr), "idempotent")
        self.assertRecordValues(cron, [{"model_id": followup.id, "code": "model._cron_coop_guarantee_followup()"}])
