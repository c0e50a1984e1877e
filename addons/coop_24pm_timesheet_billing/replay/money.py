"""Money through the bank in the replayed year (issue 18).

The accountant confirms, generates and uploads the SEPA direct-debit orders the debit job
prepares (OCA ``account_payment_order``); the bank collects them; each Friday it sends a
CAMT.053 statement, generated here from the payments the replay decided (transfers by
members, collections by debit), which the accountant imports with OCA
``account_statement_import_camt``'s wizard. What the import does not reconcile by itself,
the accountant reconciles in OCA's reconciliation screen (``account_reconcile_oca``)."""

import base64
from datetime import timedelta
from xml.sax.saxutils import escape

from odoo import Command
from odoo.tools import file_open

PAIN002_SAMPLE = "coop_24pm_guarantee/data/bank_samples/pain002_return_sample.xml"
REJECTED_AFTER = 60  # days: the first member's bank rejects one debit after two months
STATEMENT_WEEKDAY = 4  # Friday
COLLECTION_DAYS = 2  # the bank books a collection two days after the order is uploaded
# 24PM's own details, for a database that has none yet (valid Belgian numbers)
COOP_VAT, COOP_REGISTRY = "BE0812345603", "0812.345.603"
COOP_CREDITOR_ID = "BE22ZZZ0812345603"
COOP_IBAN, COOP_BIC = "BE71 0961 2345 6769", "GEBABEBB"


class MoneyScenes:
    def _setup(self):
        res = super()._setup()
        Users = self.env["res.users"].sudo().with_context(no_reset_password=True)
        self.accountant = Users.search([("login", "=", "replay.accountant@24pm.be")]) or Users.create(
            {
                "name": "Marc Comptable (replay)",
                "login": "replay.accountant@24pm.be",
                "email": "replay.accountant@24pm.be",
                "company_id": self.env.company.id,
                "company_ids": [Command.set(self.env.company.ids)],
                "group_ids": [
                    Command.link(self.env.ref("account.group_account_manager").id),
                    Command.link(self.env.ref("account.group_account_user").id),
                    Command.link(self.env.ref("account_payment_order.group_account_payment").id),
                    Command.link(self.env.ref("coop_24pm_membership.group_coop_manager").id),
                ],
            }
        )
        company = self.env.company
        self._setup_bank(company)
        self.bank_journal = (
            company.coop_guarantee_bank_journal_id
            or company.coop_direct_debit_mode_id.fixed_journal_id
            or self.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", company.id), ("bank_account_id", "!=", False)], limit=1
            )
        )
        self.bank_pending = []  # entries the bank will book: dicts (date, amount, ...)
        self.statements = self.env["account.bank.statement"]
        self.statement_count = 0
        self.bank_balance = self._journal_bank_balance()
        self.opening_bank_balance = self.bank_balance
        self.orders = self.env["account.payment.order"]
        self.reconciled_auto = 0
        self.reconciled_by_hand = 0
        self.left_unreconciled = []
        self.returns = self.env["payment.return"]
        return res

    def _setup_bank(self, company):
        """24PM's own details where the database has none yet (a new database, not a test's):
        its Belgian VAT and enterprise numbers, its SEPA creditor identifier, its bank account
        at a Belgian bank with the bank journal, and the payment modes of SEPA B2B direct
        debits (collections) and SEPA credit transfers (refunds, settlements)."""
        if company.coop_direct_debit_mode_id:
            return
        if not company.vat:
            company.write({"vat": COOP_VAT, "company_registry": COOP_REGISTRY})
        if not company.sepa_creditor_identifier:
            company.sepa_creditor_identifier = COOP_CREDITOR_ID
        Bank = self.env["res.bank"].sudo()
        bank = Bank.search([("bic", "=", COOP_BIC)], limit=1) or Bank.create(
            {"name": "BNP Paribas Fortis", "bic": COOP_BIC}
        )
        account = self.env["res.partner.bank"].sudo().search(
            [("sanitized_acc_number", "=", COOP_IBAN.replace(" ", "")), ("partner_id", "=", company.partner_id.id)]
        ) or self.env["res.partner.bank"].sudo().create(
            {"acc_number": COOP_IBAN, "bank_id": bank.id, "partner_id": company.partner_id.id, "company_id": company.id}
        )
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id), ("bank_account_id", "=", account.id)], limit=1
        ) or self.env["account.journal"].create(
            {
                "name": "BNP Paribas Fortis",
                "code": "BNP",
                "type": "bank",
                "company_id": company.id,
                "bank_account_id": account.id,
            }
        )
        company.coop_guarantee_bank_journal_id = journal
        modes = {}
        for key, xmlid, name, payment_type in (
            ("sdd", "account_banking_sepa_direct_debit.sepa_direct_debit", "SEPA B2B direct debit", "inbound"),
            ("sct", "account_banking_sepa_credit_transfer.sepa_credit_transfer", "SEPA credit transfer", "outbound"),
        ):
            method = self.env.ref(xmlid)
            lines = journal[f"{payment_type}_payment_method_line_ids"]
            if method not in lines.payment_method_id:
                journal[f"{payment_type}_payment_method_line_ids"] = [Command.create({"payment_method_id": method.id})]
            modes[key] = self.env["account.payment.mode"].create(
                {
                    "name": name,
                    "company_id": company.id,
                    "payment_method_id": method.id,
                    "bank_account_link": "fixed",
                    "fixed_journal_id": journal.id,
                }
            )
        company.coop_direct_debit_mode_id = modes["sdd"]
        company._coop_get_guarantee_invoice_journal()

    def _plan(self):
        res = super()._plan()
        if self.members:
            # the first member's bank rejects one contribution debit (insufficient funds)
            self.members[0]["reject_debit_after"] = self.start + timedelta(days=REJECTED_AFTER)
        return res

    def _profile_of(self, partner):
        return next(
            (p for p in self.members if p.get("partner") and p["partner"] == partner.commercial_partner_id), None
        )

    def _journal_bank_balance(self):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.bank_journal.default_account_id.id), ("parent_state", "=", "posted")]
        )
        return self.env.company.currency_id.round(sum(lines.mapped("balance")))

    def _end_of_day(self):
        res = super()._end_of_day()
        self._scene_process_debit_orders()
        if self.today.weekday() == STATEMENT_WEEKDAY or self.today == self.end:
            self._scene_bank_statement()
        return res

    # ------------------------------------------------------------------
    # direct debits
    # ------------------------------------------------------------------
    def _scene_process_debit_orders(self):
        """The accountant confirms the orders the debit job prepared, generates the pain.008
        file and uploads it to the bank; the bank collects each debit two days later."""
        company = self.env.company
        # the debit job's orders, and the credit transfers of what 24PM owes (settlements, refunds)
        modes = company.coop_direct_debit_mode_id | self.env["account.payment.mode"].search(
            [
                ("company_id", "=", company.id),
                ("payment_type", "=", "outbound"),
                ("fixed_journal_id", "=", self.bank_journal.id),
            ]
        )
        orders = self.env["account.payment.order"].search(
            [("payment_mode_id", "in", modes.ids), ("state", "=", "draft"), ("payment_line_ids", "!=", False)]
        )
        for order in orders.with_user(self.accountant):
            done = self.attempt("debit order", lambda order=order: self._upload_order(order))
            if not done:
                continue
            self.orders |= order
            for payment in order.payment_ids:
                profile = self._profile_of(payment.partner_id)
                if (
                    profile
                    and profile.get("reject_debit_after")
                    and not profile.get("rejected_payment")
                    and self.today >= profile["reject_debit_after"]
                    and payment.amount > 1.0
                ):
                    # the member's bank rejects it: nothing is credited, a pain.002 comes back
                    profile["rejected_payment"] = payment
                    self.schedule(self.today + timedelta(days=COLLECTION_DAYS), self._scene_debit_rejected, payment)
                    continue
                inbound = payment.payment_type == "inbound"
                self.bank_pending.append(
                    {
                        "date": self.today + timedelta(days=COLLECTION_DAYS),
                        "amount": payment.amount if inbound else -payment.amount,
                        "kind": "debit" if inbound else "credit transfer",
                        "payment": payment,
                        "name": payment.partner_id.name,
                        "iban": payment.partner_bank_id.sanitized_acc_number or "",
                        "end_to_end": str(payment.id),
                        "text": f"SEPA {'B2B' if inbound else 'SCT'} {order.name}",
                    }
                )
            self.note("debit", f"order {order.name} uploaded: {len(order.payment_ids)} debit(s)")

    def _scene_debit_rejected(self, payment):
        """The bank's pain.002 status report rejects the debit (AM04, insufficient funds): the
        accountant imports it (OCA ``account_payment_return_import_iso20022``) and confirms
        the return; the suite charges its fee and retries the debit."""
        with file_open(PAIN002_SAMPLE, "rb") as sample:
            data = sample.read().decode()
        mandate = payment.payment_line_ids.mandate_id[:1]
        replacements = {
            "24PM-E2E-1": str(payment.id),
            "2400.00": f"{payment.amount:.2f}",
            "24PM-RETURN-20260216": f"24PM-RPL-RETURN-{self.today:%Y%m%d}-{payment.id}",
            "24PM-SDD-20260211": payment.payment_order_id.name,
            "2026-02-16": self.today.isoformat(),
            "2026-02-11": payment.date.isoformat(),
            "MDT-RETURN-1": mandate.unique_mandate_reference or "",
            "Retour SRL": payment.partner_id.name,
            "BE68539007547034": payment.partner_bank_id.sanitized_acc_number or "",
            "BE71096123456769": self.bank_journal.bank_account_id.sanitized_acc_number,
        }
        for old, new in replacements.items():
            data = data.replace(old, escape(new))

        def import_and_confirm():
            wizard = (
                self.env["payment.return.import"]
                .with_user(self.accountant)
                .create({"data_file": base64.b64encode(data.encode())})
            )
            action = wizard.import_file()
            payment_return = self.env["payment.return"].with_user(self.accountant).browse(action.get("res_id"))
            if not payment_return:
                payment_return = payment_return.search(action["domain"])
            payment_return.action_confirm()
            return payment_return

        payment_return = self.attempt("debit rejected", import_and_confirm)
        if payment_return:
            self.returns |= payment_return
            self.note("rejection", f"{payment.partner_id.name}: debit {self.money(payment.amount)} rejected (AM04)")

    def _upload_order(self, order):
        order.draft2open()
        order.open2generated()
        order.generated2uploaded()
        return True

    def transfer(self, day, partner, amount, communication, iban):
        """The member pays ``amount`` by transfer with its structured communication: on the
        statement of the week of ``day``."""
        self.bank_pending.append(
            {
                "date": day,
                "amount": amount,
                "kind": "transfer",
                "partner": partner,
                "name": partner.name,
                "iban": iban.replace(" ", ""),
                "communication": communication,
            }
        )

    # ------------------------------------------------------------------
    # the bank's statement
    # ------------------------------------------------------------------
    def _scene_bank_statement(self):
        entries = [entry for entry in self.bank_pending if entry["date"] <= self.today]
        if not entries:
            return
        self.bank_pending = [entry for entry in self.bank_pending if entry["date"] > self.today]
        self.statement_count += 1
        currency = self.env.company.currency_id
        opening = self.bank_balance
        closing = currency.round(opening + sum(entry["amount"] for entry in entries))
        for number, entry in enumerate(entries, 1):
            entry["ref"] = f"24PM-RPL-{self.today:%Y%m%d}-{number:04d}"
        data = self._camt053(entries, opening, closing)
        wizard = (
            self.env["account.statement.import"]
            .with_user(self.accountant)
            .with_context(_test_account_reconcile_oca=True)
            .create(
                {
                    "statement_file": base64.b64encode(data),
                    "statement_filename": f"camt053-{self.today:%Y%m%d}.xml",
                }
            )
        )
        before = self.env["account.bank.statement"].search([("journal_id", "=", self.bank_journal.id)])
        if self.attempt("bank statement import", wizard.import_file_button) is None:
            return
        statement = self.env["account.bank.statement"].search([("journal_id", "=", self.bank_journal.id)]) - before
        self.statements |= statement
        self.bank_balance = closing
        for st_line in statement.line_ids:
            # the bank's reference of the entry, which the import keeps in the line's notes
            entry = next((e for e in entries if e["ref"] in str(st_line.narration or "")), None)
            if st_line.is_reconciled:
                self.reconciled_auto += 1
                continue
            counterpart = self._expected_counterpart(entry) if entry else self.env["account.move.line"]
            if counterpart and self._reconcile_by_hand(st_line, counterpart):
                self.reconciled_by_hand += 1
            else:
                self.left_unreconciled.append((self.today, st_line.payment_ref, st_line.amount))
        self.note("bank", f"statement {statement.name}: {len(entries)} entries, closing {self.money(closing)}")

    def _expected_counterpart(self, entry):
        """The journal items the accountant picks for an entry: the debit's payment (its
        outstanding receipts line), or the open receivable of the transfer's document."""
        if entry.get("payment"):
            payment = entry["payment"]
            return payment.move_id.line_ids.filtered(
                lambda line: line.account_id.reconcile
                and not line.reconciled
                and line.account_id.account_type != "asset_receivable"
            )
        return self.env["account.move.line"].search(
            [
                ("parent_state", "=", "posted"),
                ("move_id.payment_reference", "=", entry["communication"]),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ]
        )

    def _reconcile_by_hand(self, st_line, counterpart):
        """What the accountant does in OCA's reconciliation screen: add the items, validate."""
        st_line = st_line.with_user(self.accountant)

        def reconcile():
            for line in counterpart:
                st_line._add_account_move_line(line, keep_current=True)
            if not st_line.can_reconcile:
                return False
            st_line.reconcile_bank_line()
            return True

        return self.attempt("reconcile statement line", reconcile)

    def _camt053(self, entries, opening, closing):
        """A CAMT.053.001.02 statement as Belgian banks send it, for ``entries``."""
        journal = self.bank_journal
        iban = journal.bank_account_id.sanitized_acc_number
        bic = journal.bank_account_id.bank_id.bic or "GEBABEBB"
        day = self.today.isoformat()
        ident = f"24PM-RPL-{self.today:%Y%m%d}-{self.statement_count}"

        def amount_xml(value):
            return f"{abs(value):.2f}"

        def indicator(value):
            return "CRDT" if value >= 0 else "DBIT"

        ntries = []
        for entry in entries:
            if entry.get("communication"):
                digits = "".join(ch for ch in entry["communication"] if ch.isdigit())
                remittance = (
                    "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
                    f"<Ref>{digits}</Ref></CdtrRefInf></Strd>"
                )
            else:
                remittance = f"<Ustrd>{escape(entry['text'])}</Ustrd>"
            family = {"debit": "RDDT", "credit transfer": "ICDT"}.get(entry["kind"], "RCDT")
            sub_family = "BBDD" if entry["kind"] == "debit" else "ESCT"
            party = "Dbtr" if entry["amount"] >= 0 else "Cdtr"
            ntries.append(
                f"""<Ntry><Amt Ccy="EUR">{amount_xml(entry["amount"])}</Amt>
<CdtDbtInd>{indicator(entry["amount"])}</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{entry["date"].isoformat()}</Dt></BookgDt><ValDt><Dt>{entry["date"].isoformat()}</Dt></ValDt>
<AcctSvcrRef>{entry["ref"]}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub_family}</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>{entry["ref"]}</AcctSvcrRef>
<EndToEndId>{escape(entry.get("end_to_end") or "NOTPROVIDED")}</EndToEndId></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">{amount_xml(entry["amount"])}</Amt></TxAmt></AmtDtls>
<RltdPties><{party}><Nm>{escape(entry["name"])}</Nm></{party}>
<{party}Acct><Id><IBAN>{entry["iban"]}</IBAN></Id></{party}Acct></RltdPties>
<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>"""
            )
        total = sum(abs(entry["amount"]) for entry in entries)
        net = sum(entry["amount"] for entry in entries)
        xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>{ident}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{ident}</Id><ElctrncSeqNb>{self.statement_count}</ElctrncSeqNb><CreDtTm>{day}T18:00:00</CreDtTm>
<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy><Svcr><FinInstnId><BIC>{bic}</BIC></FinInstnId></Svcr></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount_xml(opening)}</Amt>
<CdtDbtInd>{indicator(opening)}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount_xml(closing)}</Amt>
<CdtDbtInd>{indicator(closing)}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
<TxsSummry><TtlNtries><NbOfNtries>{len(entries)}</NbOfNtries><Sum>{total:.2f}</Sum>
<TtlNetNtryAmt>{abs(net):.2f}</TtlNetNtryAmt><CdtDbtInd>{indicator(net)}</CdtDbtInd></TtlNtries></TxsSummry>
{"".join(ntries)}
</Stmt></BkToCstmrStmt></Document>"""
        return xml.encode("utf-8")
