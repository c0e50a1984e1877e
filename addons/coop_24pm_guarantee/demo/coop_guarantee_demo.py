from odoo import api, models
from odoo.tools import file_open


class CoopGuaranteeDemo(models.AbstractModel):
    """Demo data only: what ``demo/coop_guarantee_demo.xml`` cannot say as records (the
    suite never calls it)."""

    _name = "coop.guarantee.demo"
    _description = "Guarantee demo data"

    @api.model
    def _debit_return(self, invoice_id):
        """The member's posted invoice collected by direct debit in an order uploaded to
        the bank, and the bank's return of that debit as a pain.002 file attached to the
        order (the shipped sample with the end-to-end id OCA wrote for this debit), for an
        accountant to import from Invoicing > Payment returns (SPEC 7.2)."""
        invoice = self.env["account.move"].browse(invoice_id)
        company = invoice.company_id
        mode = company._coop_get_direct_debit_mode()
        Journal = self.env["account.journal"]
        journal = (
            mode.fixed_journal_id
            or mode.variable_journal_ids[:1]
            or Journal.search([*Journal._check_company_domain(company), ("type", "=", "bank")], limit=1)
        )
        order = self.env["account.payment.order"].create({"payment_mode_id": mode.id, "journal_id": journal.id})
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.env["account.payment.line"].create(receivable._prepare_payment_line_vals(order))
        order.draft2open()
        order.open2generated()
        order.generated2uploaded()
        with file_open("coop_24pm_guarantee/data/bank_samples/pain002_return_sample.xml", "rb") as sample:
            data = sample.read().replace(b"24PM-E2E-1", str(order.payment_ids[:1].id).encode())
        self.env["ir.attachment"].create(
            {
                "name": "pain002_return_demo.xml",
                "raw": data,
                "res_model": "account.payment.order",
                "res_id": order.id,
                "mimetype": "application/xml",
            }
        )
        return order
