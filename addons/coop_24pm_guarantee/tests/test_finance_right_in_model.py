"""Art. 4.6, issue 21: the finance matters of the trust account refuse an agent without
the finance right in the model, with the portal's message, whatever path calls them."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GuaranteeCommon

NO_FINANCE = "Your mandate does not include finance: ask the company's main agent."


@tagged("post_install", "-at_install")
class TestFinanceRightInModel(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.firm = cls._make_company("Finance Modele SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.firm)
        cls.paul = Partner._coop_create_agent(
            cls.firm, "Paul Projets", "paul@finance-modele.example.com", finance=False, projects=True
        )
        cls.lena = Partner._coop_create_agent(
            cls.firm, "Lena Limite", "lena@finance-modele.example.com", limit_amount=500.0
        )

    def _moves(self):
        return self.env["coop.guarantee.move"].search([("membership_id", "=", self.member.id)])

    def test_art_4_6_topup_refused_without_the_finance_right(self):
        before = self._moves()
        with self.assertRaisesRegex(UserError, NO_FINANCE):
            self.member.action_request_topup(100.0, requested_by=self.paul)
        self.assertEqual(self._moves(), before)

    def test_art_4_6_topup_within_the_mandate_limit(self):
        before = self._moves()
        with self.assertRaisesRegex(UserError, "exceeds the limit of your mandate"):
            self.member.action_request_topup(500.01, requested_by=self.lena)
        self.assertEqual(self._moves(), before)
        request = self.member.action_request_topup(500.0, requested_by=self.lena)
        self.assertRecordValues(request, [{"amount": 500.0, "state": "requested", "requested_by_id": self.lena.id}])

    def test_art_4_6_discrepancy_refused_without_the_finance_right(self):
        with self.assertRaisesRegex(UserError, NO_FINANCE):
            self.env["coop.trust.account"]._coop_flag_discrepancy(
                self.member, "The balance looks wrong.", flagged_by=self.paul
            )
        self.assertFalse(self.member.activity_ids)

    def test_art_4_6_dispute_refused_without_the_finance_right(self):
        invoice = self._post_invoice(self.firm, 200.0, date="2026-02-01")
        Dispute = self.env["coop.invoice.dispute"]
        with self.assertRaisesRegex(UserError, NO_FINANCE):
            Dispute.create({"invoice_id": invoice.id, "amount": 50.0, "subject": "Hours", "filed_by_id": self.paul.id})
        self.assertFalse(Dispute.search([("invoice_id", "=", invoice.id)]))
