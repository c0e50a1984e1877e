from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestGuarantee2023Optional(GuaranteeCommon):
    """SPEC 7.5: under ROI 2023 the guarantee is optional; the credit line is the
    partner's credit limit (OCA account_financial_risk), which also blocks new work."""

    def test_no_score_recorded_no_requirement(self):
        membership = self._make_membership(self._make_company("Sans Score SRL", vat="BE0403170701"))
        self.assertRecordValues(
            membership.guarantee_id,
            [
                {
                    "credit_assessment_date": False,
                    "credit_score": 0.0,
                    "guarantee_required": False,
                    "guarantee_amount": 0.0,
                }
            ],
        )

    def test_score_below_threshold_after_assessment_requires_the_guarantee(self):
        guarantee = self._make_membership(self._make_company("Score Bas SRL", vat="BE0403170701")).guarantee_id
        guarantee.credit_score = 49.0
        self.assertTrue(guarantee.credit_assessment_date)
        self.assertRecordValues(guarantee, [{"guarantee_required": True, "guarantee_amount": 1000.0}])

    def test_score_at_threshold_no_requirement(self):
        guarantee = self._make_membership(self._make_company("Score Haut SRL", vat="BE0403170701")).guarantee_id
        guarantee.credit_score = 50.0
        self.assertTrue(guarantee.credit_assessment_date)
        self.assertFalse(guarantee.guarantee_required)

    def test_2021_guarantee_stays_mandatory(self):
        membership = self._make_membership(
            self._make_company("Ancien Regime SRL", vat="BE0403170701"), regulation=self.roi_2021
        )
        self.assertRecordValues(membership.guarantee_id, [{"guarantee_required": True, "guarantee_amount": 1000.0}])

    def test_credit_line_is_the_partner_credit_limit(self):
        member = self._make_member(self._make_company("Credit SRL", vat="BE0403170701"))
        self.assertFalse(member._has_credit_line())
        member.partner_id.credit_limit = 5000.0
        self.assertTrue(member._has_credit_line())
        self.assertEqual(member.guarantee_id.credit_line_amount, 5000.0)
        member.guarantee_id.credit_line_amount = 0.0
        self.assertEqual(member.partner_id.credit_limit, 0.0)
        self.assertFalse(member._has_credit_line())

    def test_credit_line_exceeded_blocks_new_work(self):
        member = self._make_member(self._make_company("Risque SRL", vat="BE0403170701"))
        partner = member.partner_id
        partner.write({"credit_limit": 1000.0, "risk_invoice_unpaid_include": True, "risk_invoice_open_include": True})
        invoice = self._post_invoice(partner, 600.0, date="2026-02-01")
        self.assertEqual(invoice.state, "posted", "within the credit line")
        self.assertFalse(member._coop_request_refusal())
        # the limit lowered below what is due: OCA's risk is exceeded, new work stops
        partner.credit_limit = 500.0
        partner.invalidate_recordset()  # OCA's risk amounts are computed on reading
        self.assertTrue(partner.risk_exception)
        with self.assertRaisesRegex(UserError, "Risque SRL has exceeded its credit line .*601.00.*500.00"):
            member._coop_check_may_request()

    def test_applicant_debited_for_share_and_guarantee_only(self):
        applicant = self._make_application(self._make_company("Candidat Debit SRL", vat="BE0403170701"))
        self.assertEqual(applicant.partner_id.coop_status, "applicant")
        invoice = self._post_invoice(applicant.partner_id, 100.0)
        self.assertEqual(invoice._coop_debit_kind(), "invoice")
        self.assertFalse(invoice._coop_may_be_debited())
        member = self._make_member(self._make_company("Membre Debit SRL", vat="BE0477472701"))
        share_move = member.share_line_ids.move_id
        self.assertEqual(share_move._coop_debit_kind(), "share")
        self.assertTrue(self._post_invoice(member.partner_id, 100.0)._coop_may_be_debited())
