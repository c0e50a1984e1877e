from base64 import b64decode, b64encode

from lxml import etree
from requests import PreparedRequest, Response, Session

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import CoopCommon
from .schematron import assert_ubl_passes

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
PEPPOL_ASSETS = "account_peppol/tests/assets"
ON_PEPPOL = "0400000185"  # the member registered on the Peppol network
NOT_ON_PEPPOL = "0400000284"  # a valid enterprise number the network does not know
SMP_FOUND = (
    b"<?xml version='1.0' encoding='UTF-8'?>"
    b'<smp:ServiceGroup xmlns:id="http://busdox.org/transport/identifiers/1.0/" '
    b'xmlns:smp="http://busdox.org/serviceMetadata/publishing/1.0/">'
    b'<id:ParticipantIdentifier scheme="iso6523-actorid-upis">0208:'
    + ON_PEPPOL.encode()
    + b"</id:ParticipantIdentifier>"
    b"<smp:ServiceMetadataReferenceCollection><smp:ServiceMetadataReference "
    b'href="https://ap.example.com/iso6523-actorid-upis%3A%3A0208%3A'
    + ON_PEPPOL.encode()
    + b"/services/busdox-docid-qns"
    b"%3A%3Aurn%3Aoasis%3Anames%3Aspecification%3Aubl%3Aschema%3Axsd%3AInvoice-2%3A%3AInvoice%23%23urn%3Acen.eu"
    b'%3Aen16931%3A2017%23compliant%23urn%3Afdc%3Apeppol.eu%3A2017%3Apoacc%3Abilling%3A3.0%3A%3A2.1"/>'
    b"</smp:ServiceMetadataReferenceCollection></smp:ServiceGroup>"
)


@tagged("post_install", "-at_install")
class TestEinvoiceSending(CoopCommon):
    """SPEC 7.3 and 7.6: invoices leave through Odoo's send flow, over Peppol when the
    member is on the network, otherwise by e-mail to its finance agents; calls for funds
    never as e-invoices. Only the remote calls (the SMP look-up and Odoo's Peppol access
    point) are answered by the test."""

    sent_documents = []

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("account_peppol.edi.mode", "test")
        company = cls.env.company
        company.write(
            {
                "name": "24PM SC",
                "vat": "BE0897223670",
                "street": "Rue de la Loi 24",
                "zip": "1000",
                "city": "Bruxelles",
                "email": "compta@24pm.be",
                "peppol_eas": "0208",
                "peppol_endpoint": "0897223670",
                "account_peppol_proxy_state": "receiver",
            }
        )
        cls.env["res.partner.bank"].sudo().create(
            {"acc_number": "BE71096123456769", "partner_id": company.partner_id.id}
        )
        key = cls.env["certificate.key"].create(
            {"name": "Test key", "content": b64encode(file_open(f"{PEPPOL_ASSETS}/private_key.pem", "rb").read())}
        )
        cls.env["account_edi_proxy_client.user"].create(
            {
                "id_client": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                "proxy_type": "peppol",
                "edi_mode": "test",
                "edi_identification": "0208:0897223670",
                "private_key_id": key.id,
                "refresh_token": "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy",
                "company_id": company.id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.on_peppol = cls._make_company("Peppol Brasserie", vat=f"BE{ON_PEPPOL}", email=False)
        cls.off_peppol = cls._make_company("Hors Réseau SRL", vat=f"BE{NOT_ON_PEPPOL}", email=False)
        cls.member_on = cls._make_member(cls.on_peppol)
        cls.member_off = cls._make_member(cls.off_peppol)
        cls.finance_agent = Partner._coop_create_agent(
            cls.off_peppol, "Fanny Finance", "fanny@hors-reseau.be", projects=False
        ).partner_id
        cls.projects_agent = Partner._coop_create_agent(
            cls.off_peppol, "Pierre Projets", "pierre@hors-reseau.be", finance=False, projects=True
        ).partner_id
        Partner._coop_create_agent(cls.on_peppol, "Paul Peppol", "paul@peppol-brasserie.be")

    @classmethod
    def _request_handler(cls, s: Session, r: PreparedRequest, /, **kw):
        response = Response()
        response.status_code = 200
        url = r.path_url.lower()
        if "iso6523-actorid-upis" in url:
            if url.endswith(f"0208%3a{ON_PEPPOL}"):
                response._content = SMP_FOUND
            else:
                response.status_code = 404
            return response
        if url == "/api/peppol/1/send_document":
            import json

            documents = json.loads(r.body)["params"]["documents"]
            cls.sent_documents.extend(documents)
            response.json = lambda: {
                "result": {"messages": [{"message_uuid": f"uuid-{i}"} for i in range(len(documents))]}
            }
            return response
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.sent_documents.clear()

    def _invoice(self, partner, price=100.0, taxes=None):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-11-30",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Accompagnement",
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.set((taxes if taxes is not None else self.tax_sale_a).ids)],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _send(self, moves):
        return self.env["account.move.send"]._generate_and_send_invoices(moves, allow_raising=False)

    def test_belgian_member_gets_ubl_bis3_on_peppol_when_it_joins(self):
        partner = self.on_peppol.with_company(self.env.company)
        self.assertEqual(
            (partner.invoice_edi_format, partner.invoice_sending_method, partner.peppol_eas, partner.peppol_endpoint),
            ("ubl_bis3", "peppol", "0208", ON_PEPPOL),
        )
        self.assertEqual(
            self.member_on.einvoice_channel,
            f"{self._format_label('ubl_bis3')} over Peppol (0208:{ON_PEPPOL}), checked on the network at the first "
            "sending",
        )

    def _format_label(self, key):
        return dict(self.env["res.partner"]._fields["invoice_edi_format"]._description_selection(self.env))[key]

    def test_foreign_members_keep_their_country_format(self):
        german = self._make_member(self._make_company("Berlin GmbH", country="de", vat="DE123456788"))
        french = self._make_member(self._make_company("Lille SAS", country="fr", vat="FR40303265045"))
        self.assertEqual(german.partner_id.invoice_edi_format, "xrechnung")
        self.assertEqual(
            (french.partner_id.invoice_edi_format, french.partner_id.invoice_sending_method), (False, "email")
        )
        self.assertEqual(french.einvoice_channel, "PDF by e-mail to the finance agents")

    def test_member_without_enterprise_number_cannot_be_switched_to_peppol(self):
        company = self._make_company("Pas Encore SRL")  # not yet incorporated: no VAT number
        member = self._make_member(company)
        self.assertEqual(company.invoice_sending_method, "email")
        self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "enterprise number"):
            company.write({"invoice_sending_method": "peppol", "invoice_edi_format": "ubl_bis3"})
        self.env.invalidate_all(flush=False)  # what the database holds after the refusal
        self.assertEqual((company.invoice_sending_method, company.invoice_edi_format), ("email", False))
        self.assertEqual(member.einvoice_channel, "PDF by e-mail to the finance agents")

    def test_invoice_of_a_member_on_the_network_leaves_by_peppol(self):
        invoice = self._invoice(self.on_peppol)
        self._send(invoice)
        self.assertEqual(invoice.peppol_move_state, "processing")
        self.assertEqual(invoice.coop_sending_channel, "peppol")
        self.assertEqual(invoice.coop_sending_note, f"Sent as a Peppol e-invoice to 0208:{ON_PEPPOL}.")
        self.assertEqual([doc["receiver"] for doc in self.sent_documents], [f"0208:{ON_PEPPOL}"])
        # what left is Odoo's BIS 3 file with the PDF embedded, and it passes the official rules
        ubl = b64decode(self.sent_documents[0]["ubl"])
        tree = etree.fromstring(ubl)
        embedded = tree.find(".//cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
        self.assertEqual(embedded.get("mimeCode"), "application/pdf")
        self.assertEqual(tree.findtext(".//cac:PaymentMeans/cbc:PaymentID", namespaces=NS), invoice.payment_reference)
        assert_ubl_passes(self, ubl)
        self.assertEqual(self.on_peppol.with_company(self.env.company).peppol_verification_state, "valid")

    def test_member_not_on_the_network_gets_the_pdf_by_email_with_a_note(self):
        invoice = self._invoice(self.off_peppol)
        self._send(invoice)
        self.assertFalse(self.sent_documents)
        self.assertEqual(invoice.coop_sending_channel, "email")
        self.assertEqual(
            invoice.coop_sending_note,
            f"0208:{NOT_ON_PEPPOL} is not on the Peppol network: sent by e-mail to "
            "Fanny Finance <fanny@hors-reseau.be>.",
        )
        mail = self.env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(mail.recipient_ids, self.finance_agent)  # not the agent without the finance right
        # SPEC 7.3: a notice of the member, whose delivery is tracked
        notice = self.env["coop.notice"].search([("res_model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertRecordValues(
            notice, [{"kind": "finance", "state": "outgoing", "recipient_ids": self.finance_agent.ids}]
        )
        self.assertEqual(
            mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf").name,
            f"{invoice.name.replace('/', '_')}.pdf",
        )

    def test_share_call_is_sent_by_email_never_as_an_einvoice(self):
        share = self.member_on.share_line_ids.move_id
        self.assertTrue(share.coop_is_call_for_funds)
        self._send(share)
        self.assertFalse(self.sent_documents)
        self.assertFalse(share.ubl_cii_xml_id)
        self.assertEqual(share.coop_sending_channel, "email")
        self.assertEqual(
            share.coop_sending_note,
            "A call for funds, never an e-invoice: sent by e-mail to Paul Peppol <paul@peppol-brasserie.be>.",
        )

    def test_invoice_whose_ubl_breaks_a_rule_is_not_sent_and_says_why(self):
        invoice = self._invoice(self.on_peppol, taxes=self.env["account.tax"])  # a line without any tax
        self._send(invoice)
        self.assertFalse(self.sent_documents)
        self.assertEqual(invoice.coop_sending_channel, "none")
        self.assertIn("Not sent:", invoice.coop_sending_note)
        self.assertEqual(invoice.peppol_move_state, "error")

    def test_invoice_to_a_member_without_any_address_is_not_sent(self):
        lonely = self._make_company("Sans Adresse SRL", vat="BE0400000383", email=False)
        self._make_member(lonely)
        lonely.with_company(self.env.company).write({"invoice_sending_method": "email", "invoice_edi_format": False})
        invoice = self._invoice(lonely)
        self._send(invoice)
        self.assertEqual(invoice.coop_sending_channel, "none")
        self.assertEqual(
            invoice.coop_sending_note,
            "Not sent: no agent with the finance right has an e-mail address, nor the company.",
        )
        self.assertEqual(invoice.activity_ids.summary, "Invoice not sent: no recipient")
        notice = self.env["coop.notice"].search([("res_model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertRecordValues(notice, [{"state": "no_recipient", "message_id": False}])
        self.assertFalse(self.env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "=", invoice.id)]))
