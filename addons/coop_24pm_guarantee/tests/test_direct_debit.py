import base64

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools import file_open

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestDirectDebit(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Domiciliation SRL", vat="BE0477472701")
        cls.mandate = cls._make_mandate(cls.partner)
        cls.member = cls._make_member(cls.partner)

    def _order_lines(self, invoice):
        return self.env["account.payment.line"].search([("move_line_id.move_id", "=", invoice.id)])

    def test_art_6_1_presented_within_10_days_of_invoice(self):
        self.assertEqual(self.member.coop_payment_mode, "direct_debit")
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-03-03")
        with freeze_time("2026-02-10"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertFalse(self._order_lines(invoice))
        with freeze_time("2026-02-11"):
            self.env["account.move"]._cron_coop_direct_debit()
        line = self._order_lines(invoice)
        self.assertRecordValues(line, [{"amount_currency": 1000.0, "mandate_id": self.mandate.id}])
        # a second run does not present it twice
        with freeze_time("2026-02-12"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(len(self._order_lines(invoice)), 1)

    def test_art_6_1_presented_at_due_date_when_earlier(self):
        invoice = self._post_invoice(self.partner, 250.0, date="2026-02-01", due="2026-02-05")
        with freeze_time("2026-02-05"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(self._order_lines(invoice).amount_currency, 250.0)

    def test_prepayment_member_not_debited(self):
        partner = self._make_company("Prepaid SRL", vat="BE0403170701")
        self._make_member(partner)
        invoice = self._post_invoice(partner, 100.0, date="2026-02-01", due="2026-02-05")
        with freeze_time("2026-02-20"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertFalse(self._order_lines(invoice))

    def test_art_6_3_disputed_amount_not_collected_and_pain008_valid(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-05")
        with freeze_time("2026-02-03"):
            self.env["coop.invoice.dispute"].create(
                {"invoice_id": invoice.id, "amount": 400.0, "subject": "Hours not ordered"}
            )
        with freeze_time("2026-02-05"):
            orders = self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(len(orders), 1)
        self.assertRecordValues(self._order_lines(invoice), [{"amount_currency": 600.0}])
        # the order also collects the open B share subscription invoice (EUR 1.00)
        self.assertEqual(sorted(orders.payment_line_ids.mapped("amount_currency")), [1.0, 600.0])
        self.assertEqual(orders.payment_mode_id, self.sdd_mode)
        orders.draft2open()
        action = orders.open2generated()
        attachment = self.env["ir.attachment"].browse(action["res_id"])
        xml = base64.b64decode(attachment.datas)
        root = etree.fromstring(xml)
        # validate against the official pain.008 schema shipped by the OCA module
        xsd_path = orders.payment_method_id.get_xsd_file_path()
        self.assertTrue(xsd_path.endswith("pain.008.001.02.xsd"))
        with file_open(xsd_path, "rb") as xsd_file:
            schema = etree.XMLSchema(etree.parse(xsd_file))
        schema.assertValid(root)
        ns = {"p": root.nsmap[None]}
        # one transaction for the member: the undisputed 600.00 and the B share subscription of 1.00
        self.assertEqual(root.xpath("//p:GrpHdr/p:CtrlSum", namespaces=ns)[0].text, "601.00")
        self.assertNotIn("1000.00", [amt.text for amt in root.xpath("//p:DrctDbtTxInf/p:InstdAmt", namespaces=ns)])
        self.assertEqual(root.xpath("//p:PmtTpInf/p:LclInstrm/p:Cd", namespaces=ns)[0].text, "B2B")
        self.assertEqual(
            root.xpath("//p:MndtRltdInf/p:MndtId", namespaces=ns)[0].text, self.mandate.unique_mandate_reference
        )

    def test_art_6_3_add_to_payment_order_button_leaves_the_disputed_amount(self):
        """OCA's own "Add to payment order" button goes through the same hook as the debit job."""
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-11")
        invoice.payment_mode_id = self.sdd_mode
        with freeze_time("2026-02-03"):
            self.env["coop.invoice.dispute"].create(
                {"invoice_id": invoice.id, "amount": 400.0, "subject": "Hours not ordered"}
            )
        invoice.create_account_payment_line()
        self.assertRecordValues(self._order_lines(invoice), [{"amount_currency": 600.0}])

    def test_art_6_3_wholly_disputed_invoice_not_added_by_the_button(self):
        invoice = self._post_invoice(self.partner, 300.0, date="2026-02-01", due="2026-02-11")
        invoice.payment_mode_id = self.sdd_mode
        with freeze_time("2026-02-03"):
            self.env["coop.invoice.dispute"].create({"invoice_id": invoice.id, "amount": 300.0, "subject": "All"})
        invoice.create_account_payment_line()
        self.assertFalse(self._order_lines(invoice))

    def _post_credit_note(self, amount, date):
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.partner.id,
                "invoice_date": date,
                "date": date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Plan change: the days already invoiced",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": self.income_account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        credit_note.action_post()
        return credit_note

    def test_art_6_4_2_credit_note_set_off_before_the_debit(self):
        """SPEC 7.2, art. 6.4.2: a debit member's credit note (a downgrade's adjustment of
        234.20) is set off by the debit job against its open invoice (363.00), which is
        presented for the rest, 128.80; nothing is left that 24PM would pay late (the
        replayed year found the credit note open all year and 24PM charged fees on it)."""
        invoice = self._post_invoice(self.partner, 363.0, date="2026-05-21", due="2026-05-31")
        credit_note = self._post_credit_note(234.20, "2026-05-26")
        with freeze_time("2026-05-27"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertAlmostEqual(invoice.amount_residual, 128.80, places=2)
        self.assertFalse(self._order_lines(invoice), "presented on its own date")
        with freeze_time("2026-05-31"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertRecordValues(self._order_lines(invoice), [{"amount_currency": 128.80}])
        with freeze_time("2026-06-30"):
            owed = self.env["account.move"]._cron_coop_late_fees_owed()
        self.assertFalse(owed.filtered(lambda bill: bill.coop_fee_origin_id == credit_note))

    def test_credit_note_not_set_off_against_an_invoice_being_collected_or_disputed(self):
        """An invoice already in a payment order keeps the amount presented; a disputed one
        waits for its answer: the credit note stays open for the next invoice."""
        presented = self._post_invoice(self.partner, 300.0, date="2026-05-01", due="2026-05-11")
        with freeze_time("2026-05-11"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(self._order_lines(presented).amount_currency, 300.0)
        disputed = self._post_invoice(self.partner, 200.0, date="2026-05-20", due="2026-05-30")
        with freeze_time("2026-05-21"):
            self.env["coop.invoice.dispute"].create({"invoice_id": disputed.id, "amount": 50.0, "subject": "Hours"})
        credit_note = self._post_credit_note(100.0, "2026-05-26")
        with freeze_time("2026-05-27"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(credit_note.payment_state, "not_paid")
        self.assertAlmostEqual(presented.amount_residual, 300.0, places=2)
        self.assertAlmostEqual(disputed.amount_residual, 200.0, places=2)
        # the next invoice takes it: 150.00 - 100.00 = 50.00 to debit
        following = self._post_invoice(self.partner, 150.0, date="2026-06-01", due="2026-06-11")
        with freeze_time("2026-06-02"):
            self.env["account.move"]._cron_coop_direct_debit()
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertAlmostEqual(following.amount_residual, 50.0, places=2)
