"""A dispute filed in time in the replayed year (issue 18): the second member's agent
disputes a third of a contribution invoice on its trust page the day after the invoice
(the record the /my/membership/<id>/dispute route creates, as that route does); staff answer
three days later with reasons (``action_reject``): the disputed amount is due again. The
suite's rule on the debit of a disputed invoice is observed (the report lists the invoice's
debits), not assumed."""

from datetime import timedelta

DISPUTE_MEMBER = 1
DISPUTE_AFTER = 120  # days: the first contribution invoiced after this is disputed
ANSWER_AFTER = 3  # days: staff answer the dispute
DISPUTE_SUBJECT = "Nous contestons un tiers de cette cotisation : le mois n'a pas été presté en entier."
DISPUTE_ANSWER = "La cotisation est forfaitaire et due pour le mois entier (art. 5.1) : la contestation est rejetée."


class DisputeScenes:
    def _morning(self):
        res = super()._morning()
        if len(self.members) > DISPUTE_MEMBER and not self.members[DISPUTE_MEMBER].get("dispute"):
            self._scene_dispute_in_time(self.members[DISPUTE_MEMBER])
        return res

    def _dispute_yesterdays_contribution(self, profile, scene, subject):
        """The agent disputes a third of yesterday's contribution invoice on its trust page (the
        record the portal's dispute route creates). Returns (invoice, dispute), dispute empty
        when there is nothing to dispute or the suite refused it."""
        membership, user = profile["membership"], profile["user"]
        invoice = self.member_invoice(
            membership,
            self.today - timedelta(days=1),
            ("coop_invoice_kind", "=", "contribution"),
            ("payment_state", "=", "not_paid"),
        )
        if not invoice or not invoice._coop_is_disputable(self.today):
            return invoice, None
        amount = invoice.currency_id.round(invoice.amount_total / 3)
        dispute = self.attempt(
            scene,
            lambda: self.env["coop.invoice.dispute"]
            .sudo()
            .create(
                {
                    "invoice_id": invoice.id,
                    "invoice_ref": invoice.name,
                    "amount": amount,
                    "subject": subject,
                    "channel": "portal",
                    "filed_by_id": user.id,
                }
            ),
        )
        if dispute:
            self.note(
                "dispute", f"{membership.partner_id.name}: {invoice.name}, {self.money(amount)} disputed on the portal"
            )
        return invoice, dispute

    def _scene_dispute_in_time(self, profile):
        """The agent disputes part of yesterday's contribution invoice on its trust page."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user or self.today < self.start + timedelta(days=DISPUTE_AFTER):
            return
        _invoice, dispute = self._dispute_yesterdays_contribution(profile, "dispute in time", DISPUTE_SUBJECT)
        if dispute:
            profile["dispute"] = dispute
            self.schedule(self.today + timedelta(days=ANSWER_AFTER), self._scene_answer_dispute, profile)

    def _scene_answer_dispute(self, profile):
        """Staff reject the dispute with reasons (art. 6.3): the disputed amount is due again."""
        dispute = profile["dispute"]
        if self.attempt("answer dispute", lambda: dispute.with_user(self.staff).action_reject(DISPUTE_ANSWER)):
            invoice = dispute.invoice_id
            self.note(
                "dispute",
                f"{invoice.partner_id.name}: dispute of {invoice.name} rejected; the invoice is "
                f"{invoice.payment_state}, {self.money(invoice.amount_residual)} open",
            )
