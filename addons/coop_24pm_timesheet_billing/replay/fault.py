"""A termination for serious fault in the replayed year (issue 18, priority 3): the fifth
member joins online early (SEPA B2B mandate, no work of its own, so that its figures are
computed by hand). Staff record a credit score below the ROI 2023 threshold: the guarantee
is required (SPEC 7.5); the agent tops it up on its trust page (the route's call), staff post
the call for funds and the debit job collects it. Staff then terminate the contract for the
member's serious fault (the backend wizard, art. 10): the fixed indemnity is invoiced and
the termination itself draws what is due from the guarantee (art. 7.2 a, the settlement), so
that staff's draw for the unpaid (``action_draw_for_unpaid``) finds nothing left. After the exit the agent asks for the
refund of the balance on its trust page; staff refund it, the credit note goes into the SEPA
credit transfer order the accountant uploads, and the bank's statement books it."""

from datetime import timedelta

FAULT_MEMBER = 4  # index of the member terminated for fault (needs members >= 5)
FAULT_JOIN_AFTER = 4  # days: it joins early
SCORE_AFTER = 12  # days: staff record its credit score
CREDIT_SCORE = 40.0  # below ROI 2023's threshold: the guarantee is required
TOPUP_AFTER = 13  # days: the agent pays the guarantee (a call for funds, collected by debit)
TOPUP_AMOUNT = 2500.00
FAULT_AFTER = 70  # days: staff terminate for serious fault
FAULT_DESCRIPTION = "Le membre a sollicité directement un collaborateur de 24PM pour ses propres projets (art. 9)."
REFUND_ASKED_AFTER = 72  # days: the agent asks for the refund of the guarantee's balance
REFUND_AFTER = 76  # days: staff refund it (SEPA credit transfer)


class FaultScenes:
    def _plan(self):
        res = super()._plan()
        if len(self.members) > FAULT_MEMBER:
            profile = self.members[FAULT_MEMBER]
            for after, scene in (
                (SCORE_AFTER, self._scene_credit_score),
                (TOPUP_AFTER, self._scene_guarantee_topup),
                (FAULT_AFTER, self._scene_terminate_for_fault),
                (REFUND_ASKED_AFTER, self._scene_ask_guarantee_refund),
                (REFUND_AFTER, self._scene_refund_guarantee),
            ):
                self.schedule(self.start + timedelta(days=after), scene, profile)
        return res

    def _scene_credit_score(self, profile):
        """Staff record the credit assessment on the member's guarantee (SPEC 7.5)."""
        membership = profile.get("membership")
        if membership:
            guarantee = membership.with_user(self.staff).guarantee_id
            if self.attempt("credit score", lambda: guarantee.write({"credit_score": CREDIT_SCORE})):
                self.note(
                    "guarantee",
                    f"{membership.partner_id.name}: credit score {CREDIT_SCORE:.0f}, guarantee "
                    f"{self.money(guarantee.guarantee_amount)} required",
                )

    def _scene_guarantee_topup(self, profile):
        """The agent pays the guarantee on /my/membership/<id>/topup (the route's call, in sudo
        after its access check); staff post the requested movement: a call for funds."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user:
            return
        membership_sudo = membership.with_user(user).sudo()
        gmove = self.attempt(
            "guarantee top-up", lambda: membership_sudo.action_request_topup(TOPUP_AMOUNT, requested_by=user)
        )
        if gmove and self.attempt("post guarantee call", lambda: gmove.with_user(self.staff).action_post()):
            profile["guarantee_call"] = gmove.sudo().move_id
            self.note("guarantee", f"{membership.partner_id.name}: call for funds {self.money(TOPUP_AMOUNT)} posted")

    def _scene_terminate_for_fault(self, profile):
        """Staff terminate for the member's serious fault with the backend wizard (art. 10):
        the indemnity is invoiced and drawn from the guarantee with what else is due."""
        membership = profile.get("membership")
        if not membership:
            return
        wizard = (
            self.env["coop.membership.terminate.wizard"]
            .with_user(self.staff)
            .with_context(default_membership_id=membership.id)
        )

        def terminate():
            return wizard.create(
                {
                    "membership_id": membership.id,
                    "termination_type": "fault",
                    "fault_party": "member",
                    "fault_description": FAULT_DESCRIPTION,
                }
            ).action_confirm()

        if not self.attempt("terminate for fault", terminate):
            return
        profile.update(work_stopped=True, fault_day=self.today)
        membership = membership.sudo()
        indemnity = self.member_invoice(membership, self.today, ("coop_invoice_kind", "=", "indemnity"))
        profile["indemnity"] = indemnity
        draws = membership.guarantee_id.move_ids.filtered(lambda m: m.operation == "draw" and m.state == "posted")
        self.note(
            "fault",
            f"{membership.partner_id.name}: terminated for fault, indemnity {indemnity.name} "
            f"{self.money(indemnity.amount_total)}; drawn {self.money(sum(draws.mapped('amount')))}",
        )

    def _scene_ask_guarantee_refund(self, profile):
        """After the exit the agent asks for the guarantee's balance on its trust page."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user:
            return
        membership_sudo = membership.with_user(user).sudo()
        if self.attempt("ask guarantee refund", membership_sudo.action_request_guarantee_refund):
            profile["refund"] = membership.sudo().guarantee_id.refund_id

    def _scene_refund_guarantee(self, profile):
        """The accountant refunds the balance: a credit note put in the SEPA credit transfer
        order, uploaded at the end of the day (``_scene_process_debit_orders``). Staff may not
        (the refund writes the payment order: AccessError, see the hand-off's findings)."""
        refund = profile.get("refund")
        if refund and self.attempt("refund guarantee", refund.with_user(self.accountant).action_refund):
            self.note("guarantee", f"{refund.partner_id.name}: guarantee {self.money(refund.amount)} refunded")
