from odoo import models


class AccountEdiXmlUblBis3(models.AbstractModel):
    """Odoo's Peppol BIS 3 builder: sections kept readable, and documents outside the
    scope of VAT (category O).

    Late interest, the penalty and the rejected-debit fee (art. 6.4) are compensation,
    not a supply: their lines carry a 0 % tax of VAT category O with its reason
    (VATEX-EU-O). EN 16931 then wants no VAT rate on those categories (BR-O-05,
    BR-O-06 via the breakdown) and no VAT identifier of the seller or buyer on an
    invoice made only of such lines (BR-O-02); the rest is Odoo's builder unchanged.
    """

    _inherit = "account.edi.xml.ubl_bis3"

    def _add_document_line_note_nodes(self, line_node, vals):
        """Sections stay readable: each line says the section it belongs to (BT-127),
        since a UBL invoice has no section lines (services, expenses, margin)."""
        res = super()._add_document_line_note_nodes(line_node, vals)
        line = vals["base_line"].get("record")
        if line and line._name == "account.move.line" and line.parent_id.name:
            line_node["cbc:Note"] = {"_text": line.parent_id.name}
        return res

    def _get_tax_category_node(self, vals):
        node = super()._get_tax_category_node(vals)
        if vals["grouping_key"]["tax_category_code"] == "O":
            node["cbc:Percent"] = None
        return node

    def _get_party_node(self, vals):
        node = super()._get_party_node(vals)
        invoice = vals.get("invoice")
        if invoice and invoice._coop_is_outside_vat_scope():
            node["cac:PartyTaxScheme"] = None
        return node
