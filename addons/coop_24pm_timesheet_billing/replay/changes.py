"""Changes in the replayed year (issue 18): a plan downgrade, a group rate change with one
objection, a regulation change with one contest (and, where the suite allows it, a Partner
trial ending in Standard). Each goes through what users do (staff's backend buttons, the
portal routes' functions as the agent) and the scheduled jobs that follow.

- **Partner trial** (ROI 2021 art. 4.4.2): the ninth member joins on Partner 2021 with its
  6-month trial (staff's application: the online journey offers ROI 2023's plans only), pays
  by transfer; the plans' job ends the trial and moves it to Standard 2021, the plan's fallback.
- **Downgrade** (art. 4.5, SPEC 3.2): the second member (Standard 2023, monthly, debit) moves
  down to Basique 2023 some weeks after its dispute was answered (so that the disputed
  invoice is not touched): staff record the change and confirm it; a monthly downgrade takes
  effect on the 1st of the next month, the days of the period already invoiced beyond it
  are credited pro rata (an adjustment credit note), the plans' job puts it in force.
- **Rate change** (art. 5.3, SPEC 7.3): staff notify a new group rate of the medior
  category; every member is notified, keeps the old rate 15 days after its notice was
  delivered and may object meanwhile. The first member's agent objects on its portal: its
  medior services are suspended (the medior collaborator stops logging time for it, a
  timesheet would be refused), the others are billed the new rate after their 15 days.
- **Regulation change** (art. 11.1): staff duplicate ROI 2023 into a new regulation and notify
  it to the members under ROI 2023 (the backend wizard); the fourth member's agent contests
  it on its portal within the 10 days; the others get it when the delay expires (the
  membership addon's job). The contest suspends the services the regulation concerns (all
  the cooperative's services, the wizard's default): the collaborators stop logging time for
  that member (one forgets, three days after the contest, and is refused); staff and the
  member agree twelve days after the contest: staff withdraw the change for it (it stays
  under ROI 2023) and its work resumes. Late in the year: a member under the new regulation can no
  longer change plan (its plans belong to ROI 2023), so it comes after the upgrade and the
  downgrade.
"""

from datetime import timedelta

from odoo.addons.coop_24pm_membership.models.coop_membership import BOUND_STATES

from .lifecycle import SIGNATURE

TRIAL_MEMBER = 8  # joins on the Partner 2021 plan with its 6-month trial (needs members >= 9)
TRIAL_JOIN_AFTER = 2  # days: early, so that the trial ends within the year
TRIAL_PLAN = "coop_24pm_plans.plan_partner_2021"
TRIAL_REGULATION = "coop_24pm_membership.regulation_roi_2021"

DOWNGRADE_MEMBER = 1
DOWNGRADE_PLAN = "coop_24pm_plans.plan_basic_2023"
DOWNGRADE_AFTER_DISPUTE = 35  # days after the disputed invoice: the next 1st is past its period

RATE_CHANGE_AFTER = 38  # days: staff notify the new medior rate (every early member active)
RATE_CATEGORY = "coop_24pm_timesheet_billing.category_medior"
OLD_RATE = 60.0  # work.WORKERS' medior rate
NEW_RATE = 66.0
RATE_REASON = "Formation continue des collaborateurs medior et prix du marché 2026."
OBJECTION_MEMBER = 0
OBJECTION_AFTER = 40  # days: two days after the notice
OBJECTION_REASON = "Nous ne pouvons pas accepter une hausse de 10 % en cours d'année."

REGULATION_AFTER = 190  # days: after the upgrade (day 100) and the downgrade's confirmation
REGULATION_CODE = "roi_2026"
REGULATION_NAME = "ROI 2026"
CONTEST_MEMBER = 3
CONTEST_AFTER = 193  # days: three days after the notice
CONTEST_REASON = "Le nouveau règlement modifie les délais de préavis sans concertation : nous le contestons."
CONTEST_MISTAKE_AFTER = 196  # days: a collaborator logs time for the contesting member all the same
WITHDRAW_AFTER = 205  # days: staff and the member agree, staff withdraw the change for it


class ChangeScenes:
    def _member_profile(self, index):
        profile = super()._member_profile(index)
        if index == TRIAL_MEMBER:
            profile.update(
                plan_xmlid=TRIAL_PLAN,
                commitment="monthly",
                join_day=self.start + timedelta(days=TRIAL_JOIN_AFTER),
                join_scene=self._scene_join_partner_trial,
                pays_by_transfer=True,  # prepayments: its bookkeeper pays each invoice by transfer (money2.py)
            )
        return profile

    def _plan(self):
        res = super()._plan()
        start = self.start
        if len(self.members) > OBJECTION_MEMBER:
            self.schedule(start + timedelta(days=RATE_CHANGE_AFTER), self._scene_rate_change)
            self.schedule(
                start + timedelta(days=OBJECTION_AFTER), self._scene_object_rate, self.members[OBJECTION_MEMBER]
            )
        if len(self.members) > CONTEST_MEMBER:
            self.schedule(start + timedelta(days=REGULATION_AFTER), self._scene_regulation_change)
            profile = self.members[CONTEST_MEMBER]
            self.schedule(start + timedelta(days=CONTEST_AFTER), self._scene_contest_regulation, profile)
            self.schedule(start + timedelta(days=CONTEST_MISTAKE_AFTER), self._mistake_log_contested, profile)
            self.schedule(start + timedelta(days=WITHDRAW_AFTER), self._scene_withdraw_regulation, profile)
        return res

    def _morning(self):
        res = super()._morning()
        if len(self.members) > DOWNGRADE_MEMBER:
            profile = self.members[DOWNGRADE_MEMBER]
            dispute = profile.get("dispute")
            if (
                dispute
                and not profile.get("downgrade")
                and dispute.sudo().state == "rejected"
                and self.today >= dispute.sudo().invoice_id.invoice_date + timedelta(days=DOWNGRADE_AFTER_DISPUTE)
            ):
                self._scene_plan_downgrade(profile)
        return res

    def _scene_log_work(self, profile):
        """The collaborators of a service suspended by the member's objection log no time for it."""
        suspended = profile.get("suspended_workers")
        if not suspended:
            return super()._scene_log_work(profile)
        workers = self.workers
        self.workers = workers - suspended
        try:
            return super()._scene_log_work(profile)
        finally:
            self.workers = workers

    def _work_suspended(self, profile, task):
        """Art. 11.1: while the member contests the new regulation, the collaborators log no
        time on the services it concerns (its PM's activity says which)."""
        change = profile.get("regulation_contest")
        if change and change.sudo().state == "contested" and task.coop_product_id in change.sudo().product_ids:
            return True
        return super()._work_suspended(profile, task)

    # ------------------------------------------------------------------
    # a Partner trial
    # ------------------------------------------------------------------
    def _scene_join_partner_trial(self, profile):
        """The Partner plan with its trial is a ROI 2021 plan, which the online journey does
        not offer (it offers the regulation in force): the agent signs up and gives the
        company's VAT number online, staff prepare the application under ROI 2021 in the
        backend and send the e-contract; the agent signs it on the portal (the /my/join routes'
        functions find the company's application)."""
        Users = self.env["res.users"].sudo()
        password = f"replay-{profile['index']}-{self.seed}"
        Users.signup(
            {
                "login": profile["agent_email"],
                "email": profile["agent_email"],
                "name": profile["agent_name"],
                "password": password,
                "lang": profile["lang"] if self.env["res.lang"]._lang_get(profile["lang"]) else "en_US",
            }
        )
        user = Users.search([("login", "=", profile["agent_email"])])
        profile.update(user=user, password=password)
        Application = self.env["coop.membership.application"].with_user(user)
        company = self.attempt("join: company", lambda: Application._coop_join_company(user, vat=profile["vat"]))
        if not company:
            return
        plan = self.env.ref(profile["plan_xmlid"])

        def prepare():
            application = (
                self.env["coop.membership.application"]
                .with_user(self.staff)
                .create(
                    {
                        "partner_id": company.id,
                        "regulation_id": self.env.ref(TRIAL_REGULATION).id,
                        "plan_id": plan.id,
                        "commitment": profile["commitment"],
                    }
                )
            )
            application.action_send_contract()
            return application

        application = self.attempt("join: staff application", prepare)
        if not application:
            return

        def current():
            return Application._coop_join_get_application(user)

        self.attempt(
            "join: sign",
            lambda: current()._coop_join_sign(user, profile["agent_name"], profile["capacity"], True, SIGNATURE),
        )
        # observed: the application prepared by staff is concluded and activated at the signature,
        # paying by prepayments (no mandate); the journey's payment step is then refused ("Your
        # membership is active: its payment mode is set"): its bookkeeper pays by transfer
        application = application.sudo()
        profile.update(partner=company.sudo(), application=application, membership=application.membership_id)
        contract = application.membership_id.contract_id
        self.note(
            "join",
            f"{company.name} joined on {plan.display_name} (application by staff, signed online), "
            f"trial until {contract.coop_trial_end_date}",
        )

    # ------------------------------------------------------------------
    # a downgrade
    # ------------------------------------------------------------------
    def _scene_plan_downgrade(self, profile):
        """The member asks for a smaller plan: staff record the change and confirm it (the
        member's confirmation recorded by staff); the plans' job applies it on its date."""
        profile["downgrade"] = True  # asked once, whatever the answer
        membership = profile.get("membership")
        if not membership:
            return
        plan = self.env.ref(DOWNGRADE_PLAN)

        def downgrade():
            change = (
                self.env["coop.plan.change"]
                .with_user(self.staff)
                .create({"membership_id": membership.id, "new_plan_id": plan.id})
            )
            change.action_confirm()
            return change

        change = self.attempt("plan downgrade", downgrade)
        if change:
            profile["downgrade"] = change
            adjustment = change.sudo().adjustment_move_id
            if adjustment.move_type == "out_refund":
                # the debit job sets it off against the member's open contribution
                self.schedule(self.today + timedelta(days=1), self._scene_credit_note_set_off, membership, adjustment)
            self.note(
                "plan",
                f"{membership.partner_id.name}: downgrade to {plan.display_name} from {change.date_effective}"
                + (f", adjustment {adjustment.name} {self.money(adjustment.amount_total)}" if adjustment else ""),
            )

    def _scene_credit_note_set_off(self, membership, credit_note):
        """The accountant reads what the debit job did with the credit note: set off against the
        member's open contribution (SPEC 7.2, art. 6.4.2; before session 13 the accountant did it
        by hand: finding C5), the rest of the contribution left to debit."""
        credit_note = credit_note.sudo()
        partials = credit_note.line_ids.matched_debit_ids
        invoices = partials.debit_move_id.move_id.filtered(lambda move: move.move_type == "out_invoice")
        if credit_note.payment_state == "paid" and invoices:
            self.note(
                "plan",
                f"{membership.partner_id.name}: {credit_note.name} set off by the debit job against "
                + ", ".join(f"{inv.name} ({self.money(inv.amount_residual)} left to debit)" for inv in invoices),
            )
        else:
            self.note(
                "plan", f"{membership.partner_id.name}: {credit_note.name} still open ({credit_note.payment_state})"
            )

    # ------------------------------------------------------------------
    # a group rate change, one objection
    # ------------------------------------------------------------------
    def _scene_rate_change(self):
        """Staff notify a new group rate for the medior category (art. 5.3)."""
        category = self.env.ref(RATE_CATEGORY)

        def notify():
            change = (
                self.env["coop.rate.change"]
                .with_user(self.staff)
                .create(
                    {
                        "product_id": self.service.id,
                        "category_id": category.id,
                        "new_rate": NEW_RATE,
                        "reason": RATE_REASON,
                    }
                )
            )
            change.action_notify()
            return change

        change = self.attempt("rate change", notify)
        if change:
            self.rate_change = change
            self.note(
                "rate",
                f"new {category.name} rate {self.money(NEW_RATE)} notified to {len(change.sudo().member_ids)} members, "
                f"from {change.date_effective}",
            )

    def _scene_object_rate(self, profile):
        """The agent objects on /my/membership/<id>/rate-objection/<line> (the route's call as
        the portal user): the medior services are suspended for its company."""
        membership, user = profile.get("membership"), profile.get("user")
        change = getattr(self, "rate_change", None)
        if not membership or not user or not change:
            return
        membership_sudo = membership.with_user(user).sudo()

        def object_to():
            membership_sudo._coop_check_portal_action("dispute")
            line = membership_sudo.env["coop.rate.change.member"].search(
                [("change_id", "=", change.id), ("membership_id", "=", membership_sudo.id)]
            )
            return line.change_id.action_object(membership_sudo, reason=OBJECTION_REASON)

        objection = self.attempt("rate objection", object_to)
        if objection:
            profile["rate_objection"] = objection
            category = self.env.ref(RATE_CATEGORY)
            profile["suspended_workers"] = self.workers.filtered(lambda w: w.coop_category_id == category)
            self.note("rate", f"{membership.partner_id.name} objects to the new {category.name} rate on the portal")

    # ------------------------------------------------------------------
    # a regulation change, one contest
    # ------------------------------------------------------------------
    def _scene_regulation_change(self):
        """Staff duplicate ROI 2023 into the new regulation (in force when the 10 days to
        contest expire) and notify it to the members under ROI 2023 with the backend wizard."""
        roi_2023 = self.env.ref("coop_24pm_membership.regulation_roi_2023")
        in_force = self.today + timedelta(days=roi_2023.contest_days + 1)

        def publish():
            regulation = roi_2023.with_user(self.staff).copy(
                {"name": REGULATION_NAME, "code": REGULATION_CODE, "date_start": in_force, "date_ratified": self.today}
            )
            Membership = self.env["coop.membership"].with_user(self.staff)
            members = Membership.search(
                [
                    ("id", "in", self.memberships().ids),
                    ("regulation_id", "=", roi_2023.id),
                    ("state", "in", BOUND_STATES),
                ]
            )
            wizard = (
                self.env["coop.regulation.notify.wizard"]
                .with_user(self.staff)
                .create({"new_regulation_id": regulation.id, "membership_ids": [(6, 0, members.ids)]})
            )
            wizard.action_notify()
            return regulation

        regulation = self.attempt("regulation change", publish)
        if regulation:
            self.new_regulation = regulation
            changes = self.env["coop.regulation.change"].sudo().search([("new_regulation_id", "=", regulation.id)])
            self.note(
                "regulation",
                f"{regulation.name} notified to {len(changes)} members: "
                + ", ".join(changes.partner_id.mapped("name")),
            )

    def _scene_contest_regulation(self, profile):
        """The agent contests the new regulation on /my/membership/<id>/contest/<change> (the
        route's call as the portal user) within the 10 days."""
        membership, user = profile.get("membership"), profile.get("user")
        regulation = getattr(self, "new_regulation", None)
        if not membership or not user or not regulation:
            return
        membership_sudo = membership.with_user(user).sudo()

        def contest():
            membership_sudo._coop_check_portal_action("dispute")
            change = membership_sudo.env["coop.regulation.change"].search(
                [
                    ("membership_id", "=", membership_sudo.id),
                    ("new_regulation_id", "=", regulation.id),
                    ("state", "=", "notified"),
                ]
            )
            change.action_contest(CONTEST_REASON)  # none found: the route refuses, the test sees no contest
            return change

        change = self.attempt("regulation contest", contest)
        if change:
            profile["regulation_contest"] = change
            self.note("regulation", f"{membership.partner_id.name} contests {regulation.name} on the portal")

    def _mistake_log_contested(self, profile):
        """The medior collaborator logs an hour for the contesting member all the same: refused."""
        if not profile.get("regulation_contest") or not profile.get("tasks"):
            return
        worker = self.workers.filtered(lambda w: w.coop_category_id.code == "medior")
        task = profile["tasks"][0]
        line = self.attempt(
            "mistake: time on a contested service",
            lambda: self.env["account.analytic.line"]
            .with_user(worker.user_id)
            .create(
                {
                    "name": f"{task.name}: work",
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "employee_id": worker.id,
                    "unit_amount": 1.0,
                    "date": self.today,
                }
            ),
        )
        if line:
            self.timesheets |= line

    def _scene_withdraw_regulation(self, profile):
        """Staff and the member agree: staff withdraw the change for it (the list's Withdraw
        button); it stays under ROI 2023 and its services resume."""
        change = profile.get("regulation_contest")
        if not change:
            return
        if self.attempt("withdraw regulation change", lambda: change.with_user(self.staff).action_withdraw() or True):
            profile["regulation_withdrawn_on"] = self.today
            self.note(
                "regulation",
                f"{profile['membership'].partner_id.name}: {change.sudo().new_regulation_id.name} withdrawn after "
                "agreement; its services resume",
            )
