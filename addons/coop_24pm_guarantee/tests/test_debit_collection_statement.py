import base64

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import file_open

from .common import GuaranteeCommon

SAMPLE = "coop_24pm_guarantee/data/bank_samples/camt053_debit_sample.xml"
INVOICE_REF = "+++000/0001/00333+++"


@tagged("post_install", "-at_install")
class TestDebitCollectionStatement(GuaranteeCommon):
    """SPEC 7.2: the bank's statement line of a SEPA direct debit collection names, in its
    EndToEndId, the payment OCA wrote in the pain.008 (the payment's id): on import it is
    reconciled with that payment when it settles it exactly; anything else is left for staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Collecte SRL", vat="BE0477472701")
        cls.mandate = cls._make_mandate(cls.partner, reference="MDT-COLLECT-1")
        cls.member = cls._make_member(cls.partner, credit_score=80.0)
        cls._pay(cls.member.share_line_ids.move_id, 1.0, date="2026-01-06")
        cls.invoice = cls._post_invoice(cls.partner, 2400.0, date="2026-02-01", due="2026-02-11")
        cls.invoice.payment_reference = INVOICE_REF
        # the debit job's order, confirmed, its pain.008 generated and uploaded through OCA's actions
        with freeze_time("2026-02-11"):
            cls.order = cls.env["account.move"]._cron_coop_direct_debit()
            cls.order.draft2open()
            cls.order.open2generated()
            cls.order.generated2uploaded()
        cls.payment = cls.order.payment_ids

    def _import(
        self, end_to_end=None, amount="2400.00", statement="24PM-SDD-SAMPLE-20260213-1", structured=True, paid=False
    ):
        with file_open(SAMPLE, "rb") as sample:
            data = sample.read().decode()
        if paid:
            # money leaving: a SEPA credit transfer to the member (debit entry, the member creditor)
            data = data.replace("<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>DBIT</CdtDbtInd>").replace("Dbtr", "Cdtr")
            data = data.replace("<Cd>RDDT</Cd>", "<Cd>ICDT</Cd>").replace("BBDD", "ESCT")
        if not structured:
            # the debit's remittance information as free text (as the replay's bank writes it)
            start, end = data.index("<Strd>"), data.index("</Strd>") + len("</Strd>")
            data = data[:start] + "<Ustrd>SEPA B2B direct debit</Ustrd>" + data[end:]
        data = data.replace("24PM-E2E-1", str(end_to_end or self.payment.id)).replace("2400.00", amount)
        data = data.replace("24PM-SDD-SAMPLE-20260213-1", statement)
        wizard = (
            self.env["account.statement.import"]
            .with_context(_test_account_reconcile_oca=True)
            .create({"statement_file": base64.b64encode(data.encode()), "statement_filename": "camt053.xml"})
        )
        before = self.env["account.bank.statement"].search([("journal_id", "=", self.bank_journal.id)])
        with freeze_time("2026-02-13"):
            wizard.import_file_button()
        statement = self.env["account.bank.statement"].search([("journal_id", "=", self.bank_journal.id)]) - before
        return statement.line_ids

    def _balance(self, account, partner=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return round(sum(self.env["account.move.line"].search(domain).mapped("balance")), 2)

    def _outstanding(self):
        return self.payment._seek_for_lines()[0]

    def _assert_left(self, st_line):
        """The line is left for staff as before: nothing reconciled, the debit still in payment."""
        self.assertEqual(len(st_line), 1)
        self.assertFalse(st_line.is_reconciled)
        self.assertFalse(self._outstanding().reconciled)
        self.assertEqual(self._balance(self.payment.outstanding_account_id), 2400.0)

    def test_spec_7_2_collection_reconciled_on_import(self):
        self.assertEqual(len(self.payment), 1)
        self.assertEqual(self.invoice.payment_state, "in_payment")
        self.assertEqual(self._balance(self.payment.outstanding_account_id), 2400.0)
        st_line = self._import()
        self.assertEqual(len(st_line), 1)
        # OCA's CAMT import keeps the EndToEndId in the line's notes; the BBA is its reference
        self.assertEqual(st_line._coop_get_end_to_end_id(), self.payment.id)
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual(st_line.partner_id, self.partner)
        self.assertRecordValues(self.invoice, [{"payment_state": "paid", "amount_residual": 0.0}])
        # nothing left in outstanding receipts; the bank journal holds the share's 1.00 (paid
        # before) and the statement's 2,400.00
        self.assertTrue(self._outstanding().reconciled)
        self.assertEqual(self._balance(self.payment.outstanding_account_id), 0.0)
        self.assertEqual(self._balance(self.bank_journal.default_account_id), 2401.0)
        self.assertEqual(st_line.statement_id.balance_end_real, 2400.0)
        # the reference is the invoice's structured communication (already settled by the
        # payment at the upload): the EndToEndId rule comes before the communication rule
        # the member's ledger: the share (1.00) and the invoice (2,400.00) settled
        receivable = self.invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        self.assertEqual(self._balance(receivable.account_id, self.partner), 0.0)
        # the bank line's entry: 2,400.00 on the bank against the payment's outstanding receipts
        self.assertRecordValues(
            st_line.move_id.line_ids.sorted("balance"),
            [
                {"account_id": self.payment.outstanding_account_id.id, "balance": -2400.0},
                {"account_id": self.bank_journal.default_account_id.id, "balance": 2400.0},
            ],
        )

    def test_spec_7_2_collection_with_free_text_reconciled_on_import(self):
        st_line = self._import(structured=False)
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(self._balance(self.payment.outstanding_account_id), 0.0)

    def test_spec_7_2_collection_of_another_amount_left_for_staff(self):
        st_line = self._import(amount="2399.99")
        self._assert_left(st_line)
        self.assertEqual(self.invoice.payment_state, "in_payment")

    def test_spec_7_2_unknown_end_to_end_id_left_for_staff(self):
        st_line = self._import(end_to_end="999999999")
        self._assert_left(st_line)

    def test_spec_7_2_collection_credited_twice_left_for_staff(self):
        self.assertTrue(self._import().is_reconciled)
        st_line = self._import(statement="24PM-SDD-SAMPLE-20260213-2")
        self.assertEqual(len(st_line), 1)
        self.assertFalse(st_line.is_reconciled)
        # the share's 1.00 (paid before) and the 2,400.00 credited twice
        self.assertEqual(self._balance(self.bank_journal.default_account_id), 4801.0)

    def test_spec_7_2_returned_collection_left_for_staff(self):
        # the member's bank rejected the debit (AM04): the return reopened the invoice
        self._return_debit(self.payment.move_id, 2400.0)
        self.assertEqual(self.invoice.payment_state, "not_paid")
        # (with the invoice's structured communication the line would settle the reopened
        # invoice by the communication rule, as it did before)
        st_line = self._import(structured=False)
        self.assertEqual(len(st_line), 1)
        self.assertFalse(st_line.is_reconciled)
        self.assertFalse(self._outstanding().reconciled)
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertEqual(self.invoice.amount_residual, 2400.0)

    def test_spec_7_2_collection_of_a_cancelled_order_left_for_staff(self):
        self.order.action_uploaded_cancel()
        st_line = self._import(structured=False)
        self.assertEqual(len(st_line), 1)
        self.assertFalse(st_line.is_reconciled)

    def test_spec_7_2_credit_transfer_reconciled_on_import(self):
        """What 24PM pays by SEPA credit transfer (OCA's pain.001 puts the payment's id in the
        EndToEndId as well): the bank's debit line is reconciled with the payment."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.partner.id,
                "invoice_date": "2026-02-05",
                "date": "2026-02-05",
                "payment_mode_id": self.sct_mode.id,
                "partner_bank_id": self.mandate.partner_bank_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Refund",
                            "quantity": 1,
                            "price_unit": 100.0,
                            "account_id": self.income_account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        refund.create_account_payment_line()
        order = refund.line_ids.payment_line_ids.order_id
        self.assertEqual(order.payment_type, "outbound")
        with freeze_time("2026-02-11"):
            order.draft2open()
            order.open2generated()
            order.generated2uploaded()
        self.assertEqual(refund.payment_state, "in_payment")
        payment = order.payment_ids
        st_line = self._import(end_to_end=payment.id, amount="100.00", structured=False, paid=True)
        self.assertEqual(st_line.amount, -100.0)
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual(refund.payment_state, "paid")
        self.assertTrue(payment._seek_for_lines()[0].reconciled)
        self.assertEqual(self._balance(payment.outstanding_account_id), 0.0)
        # the share's 1.00 received before, the 100.00 paid
        self.assertEqual(self._balance(self.bank_journal.default_account_id), -99.0)

    def test_spec_7_2_collection_on_another_company_statement_left_for_staff(self):
        """The EndToEndId of a payment of 24PM on the statement of another company's bank
        account: never matched across companies."""
        other = self.setup_other_company(name="Autre Coopérative")["company"]
        self.env.user.company_ids = [Command.link(other.id)]
        iban = (
            self.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": "BE62 5100 0754 7061", "partner_id": other.partner_id.id, "company_id": other.id})
        )
        self.env["account.journal"].with_company(other).create(
            {"name": "Bank other", "code": "BOTH", "type": "bank", "company_id": other.id, "bank_account_id": iban.id}
        )
        with file_open(SAMPLE, "rb") as sample:
            data = sample.read().decode()
        data = data.replace("24PM-E2E-1", str(self.payment.id)).replace("BE71096123456769", "BE62510007547061")
        wizard = (
            self.env["account.statement.import"]
            .with_context(_test_account_reconcile_oca=True, allowed_company_ids=[other.id, self.company.id])
            .create({"statement_file": base64.b64encode(data.encode()), "statement_filename": "camt053.xml"})
        )
        with freeze_time("2026-02-13"):
            wizard.import_file_button()
        st_line = self.env["account.bank.statement.line"].search([("company_id", "=", other.id)])
        self.assertEqual(len(st_line), 1)
        self.assertEqual(st_line.amount, 2400.0)
        self.assertEqual(st_line._coop_get_end_to_end_id(), self.payment.id)
        self.assertFalse(st_line.is_reconciled)
        self.assertFalse(self._outstanding().reconciled)
        self.assertEqual(self.invoice.payment_state, "in_payment")
