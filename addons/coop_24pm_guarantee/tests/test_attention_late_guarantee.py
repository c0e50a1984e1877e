from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-20")
class TestAttentionLateGuarantee(GuaranteeCommon):
    """Issue 22: red in the memberships list means a late payment; the guarantee unpaid after
    its deadline (art. 7) is one, though no invoice is past its due date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-01-20"):  # its B share, invoiced on 5 January, is not due yet
            cls.member = cls._make_member(cls._make_company("Attention Garantie SRL", vat="BE0477472701"))

    def test_guarantee_unpaid_after_its_deadline_is_a_late_payment(self):
        self.assertFalse(self.member.attention)
        self.member.guarantee_id.guarantee_overdue = True
        self.member.needs_followup = True
        self.member.invalidate_recordset(["attention"])
        self.assertEqual(self.member.attention, "late")
        found = self.env["coop.membership"].search([("id", "=", self.member.id), ("attention", "=", "late")])
        self.assertEqual(found, self.member)
