"""A member paying by bank transfer in the replayed year (issue 18, priority 3): the fourth
member chooses, on /my/join, to pay by transfer instead of signing a mandate (the function
the route calls, as the portal user). The agent pays each invoice by transfer with its
structured communication a week before its due date, except one contribution it pays late:
the monthly late-fee job charges the interest and the penalty (art. 6.4.1), the agent then
pays the invoice and the fee together by transfer; the interest from the charge to the
payment follows on the next run and is paid like any invoice."""

from datetime import timedelta

TRANSFER_MEMBER = 3  # index of the member paying by transfer (needs members >= 4)
PAYS_BEFORE_DUE = 7  # days: the statement of the week books it before the due date
LATE_AFTER_JOIN = 25  # days: the first contribution invoiced after this is paid late


class TransferScenes:
    def _plan(self):
        res = super()._plan()
        if len(self.members) > TRANSFER_MEMBER:
            self.members[TRANSFER_MEMBER]["pays_by_transfer"] = True
        return res

    def _morning(self):
        res = super()._morning()
        for profile in self.members:
            if profile.get("pays_by_transfer") and profile.get("partner"):
                self._scene_pay_by_transfer(profile)
        return res

    def _scene_pay_by_transfer(self, profile):
        """The agent's bookkeeper pays what is open, each by transfer with its communication."""
        partner = profile["partner"]
        paid = profile.setdefault("transferred", set())
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("id", "not in", list(paid)),
                ],
                order="invoice_date, id",
            )
        )
        late = profile.get("late_invoice")
        for invoice in invoices:
            if (
                not late
                and getattr(invoice, "coop_invoice_kind", False) == "contribution"
                and invoice.invoice_date >= profile["join_day"] + timedelta(days=LATE_AFTER_JOIN)
            ):
                late = profile["late_invoice"] = invoice
                self.note("late", f"{partner.name}: {invoice.name} ({invoice.amount_total:.2f}) will be paid late")
            if invoice.coop_fee_origin_id:
                pass  # a fee is paid as soon as it arrives (with the invoice paid late, the same day)
            elif invoice == late:
                # the invoice paid late waits for the late-fee job's charge; then it and its fee go together
                if not late.coop_fee_invoice_ids.filtered(lambda fee: fee.state == "posted"):
                    continue
                profile["late_paid_on"] = self.today
            elif invoice.invoice_date_due and self.today < invoice.invoice_date_due - timedelta(days=PAYS_BEFORE_DUE):
                continue
            self.transfer(self.today, partner, invoice.amount_residual, invoice.payment_reference, profile["iban"])
            paid.add(invoice.id)
            self.note("transfer", f"{partner.name}: {invoice.name} {invoice.amount_residual:.2f} by transfer")
