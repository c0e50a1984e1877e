import base64

from freezegun import freeze_time
from lxml import etree

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
