from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain


class AccountMove(models.Model):
    _inherit = "account.move"

    coop_is_call_for_funds = fields.Boolean(
        "Call for funds",
        readonly=True,
        copy=True,
        index="btree_not_null",
        help="A B-share subscription or buy-back, or a guarantee deposit: a capital contribution or a "
        "security, not a supply for VAT. Issued as a call for funds with the structured communication, "
        "never sent as an e-invoice (SPEC 7.6).",
    )

    @api.model
    def _coop_consumption_domain(self):
        """The member's invoices that are consumption of 24PM's work (SPEC 3.3), which the
        upgrade advice weighs: never a call for funds. Each addon that issues another kind of
        invoice that is no consumption (contributions, fees, prepayments) narrows it."""
        return Domain("coop_is_call_for_funds", "=", False)

    def _coop_call_for_funds_note(self):
        """The line a call for funds prints under its title (SPEC 7.6): it is not a VAT
        invoice, and why. The guarantee addon words its deposits."""
        self.ensure_one()
        if not self.coop_is_call_for_funds:
            return False
        if self.move_type == "out_refund":
            return self.env._(
                "Not a VAT invoice: the reimbursement of shares of the cooperative's capital, outside the scope of VAT."
            )
        return self.env._(
            "Not a VAT invoice: a contribution to the cooperative's capital (subscription of shares), outside "
            "the scope of VAT."
        )

    coop_pays_out = fields.Boolean(
        "Paid out by 24PM",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A sum 24PM owes the member and pays out (refund of the guarantee or of a Success Pack, indemnity "
        "when 24PM is at fault): paid late, it bears the interest and penalty of art. 6.4.2.",
    )

    def _coop_get_paid_by(self, day):
        """SPEC 7.2: what the member had paid by ``day``, by the dates of the payments (the bank
        statement line's date), whatever day it was recorded or a job runs."""
        self.ensure_one()
        receivables = self.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        partials = receivables.matched_credit_ids.filtered(lambda partial: partial.max_date <= day)
        return self.currency_id.round(sum(partials.mapped("amount")))

    def _coop_get_payment_term(self):
        """SPEC 7.1: 10 days for contribution, service and fee invoices; 30 days for a call
        for funds (B share, guarantee: art. 7 gives 30 days to pay the guarantee). What 24PM
        pays out to a member is due in 10 days as well (art. 6.4.2)."""
        self.ensure_one()
        call_for_funds = self.coop_is_call_for_funds and self.move_type == "out_invoice"
        xmlid = "account_payment_term_coop_30_days" if call_for_funds else "account_payment_term_coop_10_days"
        # the id through the cached lookup of external ids (``env.ref`` queries each time)
        term_id = self.env["ir.model.data"]._xmlid_to_res_id(f"coop_24pm_membership.{xmlid}", raise_if_not_found=False)
        return self.env["account.payment.term"].browse(term_id)

    def _coop_prepare_posting(self):
        """What the suite sets on the member documents it issues before posting them: the
        payment term of its invoices and of what it pays out (the due date follows)."""
        changes = defaultdict(self.browse)
        for move in self.filtered(
            lambda m: (
                m.state == "draft"
                and (m.move_type == "out_invoice" or (m.move_type == "out_refund" and m.coop_pays_out))
            )
        ):
            term = move._coop_get_payment_term()
            if term and move.invoice_payment_term_id != term:
                changes[term] |= move
        # one write per term, not per document (each write checks the moves' balance)
        for term, moves in changes.items():
            moves.invoice_payment_term_id = term

    def _get_invoice_proforma_pdf_report_filename(self):
        """A posted invoice is the invoice: its file is not named "proforma" (issue 22)."""
        if self.state == "posted":
            return self._get_invoice_report_filename()
        return super()._get_invoice_proforma_pdf_report_filename()

    def _coop_document_salesperson(self):
        """The person of 24PM a sales document names: its salesperson when that is an
        internal user, else the member's account manager, else nobody (never OdooBot,
        the user of scheduled jobs and of the install)."""
        self.ensure_one()
        user = self.invoice_user_id
        if user and not user.share and user.active and not user._is_superuser():
            return user
        return self.partner_id.commercial_partner_id.coop_membership_id.am_id

    def _post(self, soft=True):
        changes = defaultdict(self.browse)
        for move in self.filtered(lambda m: m.is_sale_document(include_receipts=True)):
            salesperson = move._coop_document_salesperson()
            if move.invoice_user_id != salesperson:
                changes[salesperson] |= move
        # one write per salesperson, not per invoice (each write checks the moves' balance)
        for salesperson, moves in changes.items():
            moves.invoice_user_id = salesperson
        return super()._post(soft=soft)

    def _coop_post(self):
        """Post entries made by the suite, never into a closed period.

        Member invoices get the suite's payment term first (SPEC 7.1). The accounting date
        is Odoo's ``_get_accounting_date`` (the suite's rule is in its override below): an
        entry dated in a closed period is dated on the first open day and says so in its
        chatter; the document date (invoice date) stays as it was.
        """
        self._coop_prepare_posting()
        for move in self:
            original = move.date
            target = move.with_context(coop_post_dating=True)._get_accounting_date(
                original, bool(move.line_ids.tax_ids)
            )
            if target != original:
                move.date = target
                move.message_post(
                    body=self.env._(
                        "Dated %(new)s instead of %(old)s: the period of %(old)s is closed (lock date or secured "
                        "entries).",
                        new=target,
                        old=original,
                    )
                )
        self.action_post()
        return self

    def _get_accounting_date(self, invoice_date, has_tax, lock_dates=None):
        """The entries the suite posts (``_coop_post``, context ``coop_post_dating``) go to
        the first open day after Odoo's lock dates, and never before the last entry secured
        by hash in their journal; Odoo's own documents keep Odoo's dating."""
        if not self.env.context.get("coop_post_dating"):
            return super()._get_accounting_date(invoice_date, has_tax, lock_dates=lock_dates)
        self.ensure_one()
        target = invoice_date
        lock_dates = lock_dates or self._get_violated_lock_dates(invoice_date, has_tax)
        if lock_dates:
            target = max(lock_date for lock_date, _lock_type in lock_dates) + timedelta(days=1)
        if self.journal_id.restrict_mode_hash_table:
            last_hashed = self.search(
                [("journal_id", "=", self.journal_id.id), ("inalterable_hash", "!=", False)],
                order="date desc",
                limit=1,
            )
            if last_hashed and last_hashed.date > target:
                target = last_hashed.date
        return target

    coop_sending_channel = fields.Selection(
        [("peppol", "Peppol e-invoice"), ("email", "E-mail"), ("none", "Not sent yet")],
        "Sent by",
        default="none",
        readonly=True,
        copy=False,
        help="How the document left: as a Peppol e-invoice, by e-mail to the member's finance agents, or not yet.",
    )
    coop_sending_note = fields.Char(
        "Sending note",
        readonly=True,
        copy=False,
        help="Why the document was sent this way, or why it was not sent.",
    )

    def _need_ubl_cii_xml(self, ubl_cii_format):
        """SPEC 7.6: a call for funds (B share, guarantee) is not an invoice: never an e-invoice."""
        if self.coop_is_call_for_funds:
            return False
        return super()._need_ubl_cii_xml(ubl_cii_format)

    def _coop_record_sending(self, move_data, sender):
        """Record on a member's document how it left and why (SPEC 7.6)."""
        self.ensure_one()
        move = self.sudo()
        partner = move.commercial_partner_id.with_company(move.company_id)
        methods = move_data.get("sending_methods") or set()
        recipients = self.env["res.partner"].browse(move_data.get("mail_partner_ids") or [])
        if "peppol" in methods and move.peppol_move_state in ("processing", "done"):
            channel = "peppol"
            note = self.env._(
                "Sent as a Peppol e-invoice to %(id)s.", id=f"{partner.peppol_eas}:{partner.peppol_endpoint}"
            )
        elif "email" in methods and recipients:
            channel = "email"
            names = ", ".join(recipients.mapped(lambda p: f"{p.name} <{p.email}>"))
            if move.coop_is_call_for_funds:
                note = self.env._("A call for funds, never an e-invoice: sent by e-mail to %s.", names)
            elif partner.invoice_sending_method == "peppol":
                note = self.env._(
                    "%(id)s is not on the Peppol network: sent by e-mail to %(names)s.",
                    id=f"{partner.peppol_eas}:{partner.peppol_endpoint}",
                    names=names,
                )
            else:
                note = self.env._("Sent by e-mail to %s.", names)
        else:
            channel = "none"
            note = self.env._("Not sent: no agent with the finance right has an e-mail address, nor the company.")
            user = move.invoice_user_id or self.env.user
            user_env = move._coop_user_env(user)
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=user_env._("Invoice not sent: no recipient"),
                note=user_env._("Not sent: no agent with the finance right has an e-mail address, nor the company."),
                user_id=user.id,
            )
        move.write({"coop_sending_channel": channel, "coop_sending_note": note})
        if channel != "peppol":
            move.message_post(body=note)
        move._coop_record_notice(channel, recipients)

    def _coop_record_notice(self, channel, recipients):
        """SPEC 7.3: an invoice sent by e-mail is a notice of the member, tracked like the
        others (its bounce warns the PM); one without recipient is recorded as such."""
        self.ensure_one()
        membership = (
            self.env["coop.membership"]
            ._get_latest_by_partner(self.commercial_partner_id)
            .get(self.commercial_partner_id.id)
        )
        if not membership or channel == "peppol":
            return
        vals = {
            "membership_id": membership.id,
            "kind": "finance",
            "right": "finance",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
        }
        Notice = self.env["coop.notice"].sudo()
        if channel == "none":
            Notice.create({**vals, "state": "no_recipient"})
            return
        message = self.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.partner_ids & recipients
        ).sorted("id")[-1:]
        if message:
            Notice.create({**vals, "message_id": message.id, "recipient_ids": message.partner_ids.ids})

    def _coop_is_outside_vat_scope(self):
        """All the invoice's lines carry a tax of VAT category O (compensation, not a supply)."""
        self.ensure_one()
        taxes = self.invoice_line_ids.filtered(lambda line: line.display_type == "product").tax_ids
        return bool(taxes) and all(tax.ubl_cii_tax_category_code == "O" for tax in taxes)
