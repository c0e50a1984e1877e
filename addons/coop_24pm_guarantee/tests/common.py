from odoo import Command, fields

from odoo.addons.coop_24pm_membership.tests.common import CoopCommon


class GuaranteeCommon(CoopCommon):
    """Adds a bank journal with an IBAN, a SEPA direct debit payment mode and helpers
    to post invoices and guarantee movements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the accountant running the tests handles payment orders and mandates
        cls.env.user.group_ids = [Command.link(cls.env.ref("account_payment_order.group_account_payment").id)]
        cls.company.sepa_creditor_identifier = "BE68ZZZ0123456789"
        cls.deposits_account = cls.company._coop_get_guarantee_account()
        cls.bank = cls.env["res.bank"].sudo().create({"name": "Banque Test", "bic": "GEBABEBB"})
        cls.company_iban = (
            cls.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "acc_number": "BE71 0961 2345 6769",
                    "bank_id": cls.bank.id,
                    "partner_id": cls.company.partner_id.id,
                    "company_id": cls.company.id,
                }
            )
        )
        cls.bank_journal = cls.env["account.journal"].create(
            {
                "name": "Bank SDD",
                "code": "BSDD",
                "type": "bank",
                "company_id": cls.company.id,
                "bank_account_id": cls.company_iban.id,
            }
        )
        cls.company.coop_guarantee_bank_journal_id = cls.bank_journal
        sdd = cls.env.ref("account_banking_sepa_direct_debit.sepa_direct_debit")
        sdd.pain_version = "pain.008.001.02"
        cls.bank_journal.inbound_payment_method_line_ids = [Command.create({"payment_method_id": sdd.id})]
        cls.sdd_mode = cls.env["account.payment.mode"].create(
            {
                "name": "SEPA B2B direct debit",
                "company_id": cls.company.id,
                "payment_method_id": sdd.id,
                "bank_account_link": "fixed",
                "fixed_journal_id": cls.bank_journal.id,
            }
        )
        cls.company.coop_direct_debit_mode_id = cls.sdd_mode
        # refunds leave by SEPA credit transfer (SPEC 7.2)
        sct = cls.env.ref("account_banking_sepa_credit_transfer.sepa_credit_transfer")
        cls.bank_journal.outbound_payment_method_line_ids = [Command.create({"payment_method_id": sct.id})]
        cls.sct_mode = cls.env["account.payment.mode"].create(
            {
                "name": "SEPA credit transfer",
                "company_id": cls.company.id,
                "payment_method_id": sct.id,
                "bank_account_link": "fixed",
                "fixed_journal_id": cls.bank_journal.id,
            }
        )
        cls.income_account = cls.company_data["default_account_revenue"]
        # the journal of the guarantees called for, as a configured company has it
        cls.company._coop_get_guarantee_invoice_journal()

    @classmethod
    def _make_mandate(cls, partner, iban="BE68 5390 0754 7034", scheme="B2B", reference=None):
        bank = (
            cls.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "acc_number": iban,
                    "partner_id": partner.id,
                    "bank_id": cls.bank.id,
                    "company_id": cls.company.id,
                }
            )
        )
        return cls.env["account.banking.mandate"].create(
            {
                "partner_bank_id": bank.id,
                "format": "sepa",
                "type": "recurrent",
                "scheme": scheme,
                "recurrent_sequence_type": "first",
                "signature_date": "2026-01-02",
                "state": "valid",
                "company_id": cls.company.id,
                "unique_mandate_reference": reference or f"MDT-{partner.id}",
            }
        )

    @classmethod
    def _post_invoice(cls, partner, amount, date="2026-02-01", due=None):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "date": date,
                "invoice_date_due": due or date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Services",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.income_account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _receive_guarantee(cls, membership, amount, date="2026-01-10", operation="receipt"):
        gmove = cls.env["coop.guarantee.move"].create(
            {
                "membership_id": membership.id,
                "operation": operation,
                "amount": amount,
                "date": date,
            }
        )
        gmove.action_post()
        if operation in ("receipt", "topup"):
            # a call for funds on the receivable: paid through the bank statement (SPEC 7.2)
            cls._pay(gmove.move_id, amount, date=date)
        return gmove

    def _deposits_balance(self, partner):
        """Balance of 488000 for the partner, read independently (credit = positive)."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.deposits_account.id),
                ("partner_id", "=", partner.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(-sum(lines.mapped("balance")), 2)

    def _fee_invoices(self, invoice, kind=None):
        fees = self.env["account.move"].search([("coop_fee_origin_id", "=", invoice.id)])
        return fees.filtered(lambda f: f.coop_fee_kind == kind) if kind else fees

    @staticmethod
    def _d(value):
        return fields.Date.to_date(value)

    @classmethod
    def _pay(cls, invoice, amount, date="2026-02-20"):
        """A bank receipt reconciled with the invoice (as a reconciled statement line would be)."""
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.bank_journal.id,
                "date": date,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": cls.bank_journal.default_account_id.id,
                            "debit": amount,
                            "partner_id": invoice.commercial_partner_id.id,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": receivable.account_id.id,
                            "credit": amount,
                            "partner_id": invoice.commercial_partner_id.id,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        (receivable | move.line_ids.filtered(lambda line: line.account_id == receivable.account_id)).reconcile()
        return move

    def _return_debit(self, payment_moves, amount, date="2026-02-16", reason="AM04"):
        """The bank returns a collected debit (OCA ``account_payment_return``, entered by
        hand): a confirmed return of ``amount`` on the receivable items of ``payment_moves``."""
        receivables = payment_moves.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        payment_return = self.env["payment.return"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": date,
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": receivables.partner_id.ensure_one().id,
                            "amount": amount,
                            "move_line_ids": [Command.set(receivables.ids)],
                            "reason_additional_information": reason,
                        }
                    )
                ],
            }
        )
        payment_return.action_confirm()
        return payment_return
