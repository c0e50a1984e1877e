"""A member paying by bank transfer in the replayed year (issue 18, priority 3): the fourth
member commits for a year and chooses, on /my/join, to pay by transfer instead of signing a
mandate (the functions the routes call, as the portal user). The agent pays each invoice by
transfer with its structured communication a week before its due date, except its annual
contribution, paid 11 days after its due date: the monthly late-fee job charges the
interest up to its run (or to the payment) and the penalty (art. 6.4.1), the interest left
up to the payment on its next run; each fee is paid by transfer the day it arrives."""

from datetime import timedelta

TRANSFER_MEMBER = 3  # index of the member paying by transfer, yearly (needs members >= 4)
PAYS_BEFORE_DUE = 7  # days: the statement of the week books it before the due date
DAYS_LATE = 11  # days after its due date: the annual contribution is paid late


class TransferScenes:
    def _plan(self):
        res = super()._plan()
        if len(self.members) > TRANSFER_MEMBER:
            # an annual commitment chosen online (two months free), paid by transfer
            self.members[TRANSFER_MEMBER].update(pays_by_transfer=True, commitment="annual")
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
            if not late and getattr(invoice, "coop_invoice_kind", False) == "contribution_annual":
                late = profile["late_invoice"] = invoice
                self.note(
                    "late", f"{partner.name}: {invoice.name} ({self.money(invoice.amount_total)}) will be paid late"
                )
            if invoice.coop_fee_origin_id:
                pass  # a fee is paid as soon as it arrives
            elif invoice == late:
                # paid a fixed number of days after its due date, whatever the late-fee job did meanwhile
                if self.today < invoice.invoice_date_due + timedelta(days=DAYS_LATE):
                    continue
                profile["late_paid_on"] = self.today
            elif invoice.invoice_date_due and self.today < invoice.invoice_date_due - timedelta(days=PAYS_BEFORE_DUE):
                continue
            self.transfer(self.today, partner, invoice.amount_residual, invoice.payment_reference, profile["iban"])
            paid.add(invoice.id)
            self.note("transfer", f"{partner.name}: {invoice.name} {self.money(invoice.amount_residual)} by transfer")
