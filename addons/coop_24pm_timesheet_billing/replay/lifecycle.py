"""Members' lives in the replayed year (issue 18): joining online as a company's agent does
it on /my/join (the functions the portal routes call, as the portal user), the staff's
buttons (as the staff user)."""

from datetime import timedelta

from .data import member_profile

# a 1x1 PNG: what Odoo's portal signature widget posts
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
# plans chosen online, in turn (codes of the plans' XML ids under ROI 2023)
JOIN_PLANS = ["coop_24pm_plans.plan_basic_2023", "coop_24pm_plans.plan_standard_2023"]
UPGRADE_AFTER = 100  # days: the third member moves up to Standard
UPGRADE_PLAN = "coop_24pm_plans.plan_standard_2023"
NOTICE_AFTER = 200  # days: the third member gives notice from the portal
# members joining on a given day (index: days after the start): the fifth, terminated for fault
EARLY_JOINS = {4: 4}
BANK_CONFIRMS_MANDATE_AFTER = 3  # days: the member's bank confirms the B2B mandate


class LifeScenes:
    def _setup(self):
        res = super()._setup()
        # free sign-up on the website, as 24PM's portal offers it (SPEC 2.1)
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        company = self.env.company
        # new portal users are copies of the portal template: it belongs to the cooperative
        # (a database holding other companies, such as a test's, may have it elsewhere)
        template_id = self.env["ir.config_parameter"].sudo().get_param("base.template_portal_user_id")
        template = self.env["res.users"].sudo().browse(int(template_id or 0)).exists()
        if template and template.company_id != company:
            template.write({"company_ids": [(4, company.id)], "company_id": company.id})
        Users = self.env["res.users"].sudo().with_context(no_reset_password=True)
        self.staff = Users.search([("login", "=", "replay.staff@24pm.be")]) or Users.create(
            {
                "name": "Hélène Staff (replay)",
                "login": "replay.staff@24pm.be",
                "email": "replay.staff@24pm.be",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "lang": "fr_BE" if self.env["res.lang"]._lang_get("fr_BE") else "en_US",
                "group_ids": [
                    (4, self.env.ref("coop_24pm_membership.group_coop_manager").id),
                    (4, self.env.ref("account.group_account_invoice").id),
                ],
            }
        )
        return res

    def _plan(self):
        res = super()._plan()
        for index in range(self.member_count):
            profile = self._member_profile(index)
            self.members.append(profile)
            self.schedule(profile["join_day"], profile["join_scene"], profile)
        if len(self.members) >= 3:
            self.schedule(self.start + timedelta(days=UPGRADE_AFTER), self._scene_plan_upgrade, self.members[2])
            self.schedule(self.start + timedelta(days=NOTICE_AFTER), self._scene_give_notice, self.members[2])
        return res

    def _member_profile(self, index):
        """The ``index``-th member: its company and agent (``data.member_profile``), its plan,
        commitment, joining day and the scene by which it joins (online by default). A scene
        mixin owning a member index sets that member's particulars after ``super()``, without
        drawing from the replay's random generator (the other members' data stay the same)."""
        profile = member_profile(self.rng, index, taken={member["name"] for member in self.members})
        profile["plan_xmlid"] = JOIN_PLANS[index % len(JOIN_PLANS)]
        profile["commitment"] = "monthly"
        # the first members a week or so apart, the rest of a larger cooperative in its first months
        profile["join_day"] = self.start + timedelta(days=1 + min(9 * index, 30 + 2 * index) + self.rng.randrange(0, 5))
        if index in EARLY_JOINS:  # a member whose scenes come early in the year
            profile["join_day"] = self.start + timedelta(days=EARLY_JOINS[index])
        profile["join_scene"] = self._scene_join_online
        return profile

    # ------------------------------------------------------------------
    # scenes
    # ------------------------------------------------------------------
    def _scene_join_online(self, profile):
        """The agent signs up on the website, gives the company's VAT number (VIES fills the
        rest), chooses a plan, signs the contract and the SEPA B2B mandate online."""
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
        # the company's name as the agent types it (used where VIES does not know the number: outside the EU)
        company = self.attempt(
            "join: company",
            lambda: Application._coop_join_company(user, vat=profile["vat"], company_name=profile.get("typed_name")),
        )
        if not company:
            return
        plan = self.env.ref(profile["plan_xmlid"])
        application = self.attempt(
            "join: apply",
            lambda: Application._coop_join_apply(user, {"plan_id": plan.id, "commitment": profile["commitment"]}),
        )
        if not application:
            return

        # each later step finds the application as the portal routes do (the user's company's)
        def current():
            return Application._coop_join_get_application(user)

        self.attempt(
            "join: sign",
            lambda: current()._coop_join_sign(user, profile["agent_name"], profile["capacity"], True, SIGNATURE),
        )
        if profile.get("pays_by_transfer"):
            # no mandate: the agent chooses to pay by transfer (prepayments, SPEC 4.3)
            self.attempt("join: pay by transfer", lambda: current()._coop_join_choose_prepayment(user))
            application = application.sudo()
            profile.update(partner=company.sudo(), application=application, membership=application.membership_id)
            self.note("join", f"{company.name} joined online ({plan.display_name}, pays by transfer)")
            return
        if profile.get("iban_typed_first"):
            # a typing mistake first (issue 18's users' mistakes): refused, the agent types it again
            self.attempt(
                "mistake: invalid IBAN",
                lambda: current()._coop_join_mandate_iban(user, profile["iban_typed_first"]),
            )
        self.attempt("join: mandate IBAN", lambda: current()._coop_join_mandate_iban(user, profile["iban"]))
        self.attempt(
            "join: mandate signature",
            lambda: current()._coop_join_mandate_sign(user, profile["agent_name"], SIGNATURE),
        )
        application = application.sudo()
        profile.update(partner=company.sudo(), application=application, membership=application.membership_id)
        self.note("join", f"{company.name} joined online ({plan.display_name}, {profile['commitment']})")
        self.schedule(self.today + timedelta(days=BANK_CONFIRMS_MANDATE_AFTER), self._scene_confirm_mandate, profile)

    def _scene_confirm_mandate(self, profile):
        """The member's bank confirms the B2B mandate: the accountant (who handles mandates)
        records it, and the debits may start."""
        membership = profile.get("membership")
        if membership:
            self.attempt("confirm mandate", lambda: membership.with_user(self.accountant).action_confirm_join_mandate())

    def _scene_plan_upgrade(self, profile):
        """The member asks for a bigger plan: staff record the change and confirm it; the
        plans' scheduled job applies it on its date."""
        membership = profile.get("membership")
        if not membership:
            return
        plan = self.env.ref(UPGRADE_PLAN)

        def upgrade():
            change = (
                self.env["coop.plan.change"]
                .with_user(self.staff)
                .create({"membership_id": membership.id, "new_plan_id": plan.id})
            )
            change.action_confirm()
            return change

        change = self.attempt("plan upgrade", upgrade)
        if change:
            profile["plan_change"] = change
            name = membership.partner_id.name
            self.note("plan", f"{name}: upgrade to {plan.display_name} from {change.date_effective}")

    def _scene_give_notice(self, profile):
        """The agent gives notice of termination on /my/membership/<id>/notice for the earliest
        end date the page proposes (art. 4.4.1); the notice job terminates the contract after
        that date and the final settlement follows (SPEC 7.4)."""
        membership = profile.get("membership")
        user = profile.get("user")
        if not membership or not user:
            return
        # the route's record: the user's own membership, in sudo after the access check
        membership_sudo = membership.with_user(user).sudo()
        Termination = membership_sudo.env["coop.membership.termination"]
        date_end = Termination._notice_end_date(membership_sudo, self.today)
        if self.attempt("give notice", lambda: Termination._portal_give_notice(membership_sudo, date_end, user)):
            profile["notice_end"] = date_end
            self.note("notice", f"{membership.partner_id.name}: notice given, the contract ends on {date_end}")
