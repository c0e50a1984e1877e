import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open

from .common import GuaranteeCommon

SAMPLE = "coop_24pm_guarantee/data/bank_samples/camt053_sample.xml"
# the structured communications of the sample file
SHARE_REF = "+++000/0001/00131+++"
GUARANTEE_REF = "+++000/0001/00232+++"
INVOICE_REF = "+++000/0001/00333+++"


@tagged("post_install", "-at_install")
class TestBankStatement(GuaranteeCommon):
    """SPEC 7.2: members' money arrives through the imported CAMT.053 statement and is
    reconciled by the Belgian structured communication; anything else is left for staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Banque Exemple SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.partner, credit_score=80.0)
        cls.share_invoice = cls.member.share_line_ids.move_id
        cls.share_invoice.payment_reference = SHARE_REF
        # the guarantee agreed, called for on the receivable (SPEC 7.2)
        receipt = cls.env["coop.guarantee.move"].create(
            {"membership_id": cls.member.id, "operation": "receipt", "amount": 2500.0, "date": "2026-02-01"}
        )
        receipt.action_post()
        cls.guarantee_invoice = receipt.move_id
        cls.guarantee_invoice.payment_reference = GUARANTEE_REF

    def _service_invoice(self, amount=500.0):
        invoice = self._post_invoice(self.partner, amount, date="2026-02-20", due="2026-03-02")
        invoice.payment_reference = INVOICE_REF
        return invoice

    def _import(self):
        with file_open(SAMPLE, "rb") as sample:
            data = sample.read()
        wizard = (
            self.env["account.statement.import"]
            .with_context(_test_account_reconcile_oca=True)
            .create({"statement_file": base64.b64encode(data), "statement_filename": "camt053_sample.xml"})
        )
        with freeze_time("2026-03-03"):
            wizard.import_file_button()
        return self.env["account.bank.statement"].search([("journal_id", "=", self.bank_journal.id)])

    def _bank_balance(self):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.bank_journal.default_account_id.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("balance")), 2)

    def _ledger(self, account_type):
        """The member's partner ledger on receivables, read from the journal items."""
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.partner.id),
                ("account_id.account_type", "=", account_type),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def test_spec_7_2_share_guarantee_and_invoice_reconciled_by_communication(self):
        invoice = self._service_invoice()
        # before the statement: the partner ledger equals the trust page; only the B share (due
        # 30 days after 2026-01-05) is late on 2026-03-02, not the invoice due that day
        with freeze_time("2026-03-02"):
            values = self.env["coop.trust.account"]._coop_get_values(self.member)
        self.assertEqual(self._ledger("asset_receivable"), 3001.0)
        self.assertEqual(values["outstanding"], 3001.0)
        self.assertEqual(values["overdue"], 1.0)
        self.assertEqual(values["guarantee_awaiting_payment"], 2500.0)
        statement = self._import()
        self.assertEqual(len(statement.line_ids), 4)
        self.assertEqual(statement.balance_end_real, 3251.0)
        # the bank journal equals the statement's closing balance
        self.assertEqual(self._bank_balance(), 3251.0)
        self.assertRecordValues(
            self.share_invoice | self.guarantee_invoice | invoice,
            [{"payment_state": "paid", "amount_residual": 0.0}] * 3,
        )
        # the dates of money are the bank's
        self.assertEqual(str(invoice.coop_last_payment_date), "2026-03-02")
        # the guarantee is held on the deposits account once paid, as the trust page shows it
        self.assertEqual(self._deposits_balance(self.partner), 2500.0)
        self.assertEqual(self.env["coop.trust.account"]._coop_get_values(self.member)["guarantee_balance"], 2500.0)
        self.assertEqual(self.env["coop.trust.account"]._coop_get_values(self.member)["outstanding"], 0.0)
        self.assertEqual(self._ledger("asset_receivable"), 0.0)
        # the unknown transfer stays open for staff
        unknown = statement.line_ids.filtered(lambda line: line.amount == 250.0)
        self.assertFalse(unknown.is_reconciled)
        self.assertEqual(statement.line_ids.filtered("is_reconciled").mapped("amount"), [1.0, 2500.0, 500.0])

    def test_spec_7_2_amount_that_differs_left_for_staff(self):
        invoice = self._service_invoice(500.01)
        statement = self._import()
        line = statement.line_ids.filtered(lambda st_line: st_line.amount == 500.0)
        self.assertFalse(line.is_reconciled)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.amount_residual, 500.01)
        # the other member documents are settled as usual
        self.assertEqual(self.share_invoice.payment_state, "paid")

    def test_spec_7_2_communication_of_another_member_never_matched(self):
        other = self._make_company("Autre SRL", vat="BE0403170701")
        invoice = self._post_invoice(other, 500.0, date="2026-02-20", due="2026-03-02")
        invoice.payment_reference = INVOICE_REF
        self.env["res.partner.bank"].create({"acc_number": "BE68 5390 0754 7034", "partner_id": self.partner.id})
        statement = self._import()
        line = statement.line_ids.filtered(lambda st_line: st_line.amount == 500.0)
        self.assertFalse(line.is_reconciled)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_spec_7_2_same_file_twice_refused(self):
        self._service_invoice()
        self._import()
        with self.assertRaisesRegex(UserError, "Statement 24PM-SAMPLE-20260302-1 of Bank SDD was already imported"):
            self._import()
        self.assertEqual(len(self.env["account.bank.statement"].search([("journal_id", "=", self.bank_journal.id)])), 1)
