"""The mistakes users make in the replayed year (issue 18): each goes through the path the
user takes (the function a portal route calls, a worker's timesheet entry), is refused by
the suite with its message and changes nothing; the year-end checks still hold.

``MISTAKES`` names each scene and a fragment of the message its refusal must carry (in
English: the replay's users work in the database's language for their own, the refusal is
read in the report)."""

from datetime import timedelta

from .lifecycle import SIGNATURE

# scene: (member index, what the message says)
MISTAKES = {
    "mistake: sign twice": (0, "this action needs the state"),
    "mistake: invalid IBAN": (0, "is not a valid IBAN"),
    "mistake: top-up over the maximum": (1, "cannot exceed"),
    "mistake: dispute on day 11": (1, "it could be disputed until"),
    "mistake: timesheet on a terminated member": (2, "time may be logged only for an active member"),
    # changes.py: a collaborator logs time for the member contesting the new regulation (art. 11.1)
    "mistake: time on a contested service": (3, "are suspended until the contest ends"),
}
TYPED_IBAN = "BE68 5390 0754 7035"  # one digit wrong: the checksum fails
TOPUP_OVER_MAX = 10_000.01  # EUR: the regulation's maximum is EUR 10,000 (art. 7.1)
TOPUP_AFTER_JOIN = 20  # days
DISPUTE_DAYS_LATE = 11  # days after the invoice date: one day too late (art. 6.3)


class MistakeScenes:
    def _plan(self):
        res = super()._plan()
        if self.members:
            # the agent types its IBAN with a wrong digit first (the join scene tries it)
            self.members[0]["iban_typed_first"] = TYPED_IBAN
            self.schedule(self.members[0]["join_day"], self._mistake_sign_twice, self.members[0])
        if len(self.members) >= 2:
            profile = self.members[1]
            self.schedule(profile["join_day"] + timedelta(days=TOPUP_AFTER_JOIN), self._mistake_topup, profile)
        return res

    def _morning(self):
        res = super()._morning()
        if len(self.members) >= 2 and not self.members[1].get("late_dispute_tried"):
            self._mistake_late_dispute(self.members[1])
        if len(self.members) >= 3 and not self.members[2].get("late_timesheet_tried"):
            self._mistake_timesheet_after_end(self.members[2])
        return res

    # ------------------------------------------------------------------
    # scenes
    # ------------------------------------------------------------------
    def _mistake_sign_twice(self, profile):
        """The agent clicks Sign again (a double click, a reload posting the form twice)."""
        user, application = profile.get("user"), profile.get("application")
        if not user or not application:
            return
        application = application.with_user(user).sudo()  # as /my/join/sign finds it
        self.attempt(
            "mistake: sign twice",
            lambda: application._coop_join_sign(user, profile["agent_name"], profile["capacity"], True, SIGNATURE),
        )

    def _mistake_topup(self, profile):
        """The agent asks on its trust page to top the guarantee up beyond the maximum."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user:
            return
        membership_sudo = membership.with_user(user).sudo()  # the route's record, after its access check
        self.attempt(
            "mistake: top-up over the maximum",
            lambda: membership_sudo.action_request_topup(TOPUP_OVER_MAX, requested_by=user),
        )

    def _mistake_late_dispute(self, profile):
        """The agent disputes an invoice eleven days after its date: the form no longer offers
        it, the agent insists (an old link, a form kept open): the model refuses it."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user:
            return
        invoice = self.member_invoice(
            membership, self.today - timedelta(days=DISPUTE_DAYS_LATE), ("coop_is_call_for_funds", "=", False)
        )
        if not invoice:
            return
        profile["late_dispute_tried"] = True
        self.attempt(
            "mistake: dispute on day 11",
            lambda: self.env["coop.invoice.dispute"]
            .sudo()
            .create(
                {
                    "invoice_id": invoice.id,
                    "invoice_ref": invoice.name,
                    "amount": invoice.currency_id.round(invoice.amount_total / 2),
                    "subject": "Nous contestons la moitié de cette facture.",
                    "channel": "portal",
                    "filed_by_id": user.id,
                }
            ),
        )

    def _mistake_timesheet_after_end(self, profile):
        """A collaborator logs time on the project of a member whose contract has ended."""
        membership, project = profile.get("membership"), profile.get("project")
        if not membership or not project or membership.state != "terminated" or self.today.weekday() >= 5:
            return
        profile["late_timesheet_tried"] = True
        worker = self.workers[:1]
        task = profile["tasks"][:1]
        self.attempt(
            "mistake: timesheet on a terminated member",
            lambda: self.env["account.analytic.line"]
            .with_user(worker.user_id)
            .create(
                {
                    "name": f"{task.name}: work after the end",
                    "project_id": project.id,
                    "task_id": task.id,
                    "employee_id": worker.id,
                    "unit_amount": 1.0,
                    "date": self.today,
                }
            ),
        )
