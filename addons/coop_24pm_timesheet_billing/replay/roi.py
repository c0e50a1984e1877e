"""Members of older regulations and from outside the automatic countries in the replayed
year (issue 18), and a guarantee refunded after a notice:

- the sixth member (index 5) joins under **ROI 2021** (Standard 2021): that regulation is
  no longer offered online (only the one in force is), so staff enter the company and its
  application in the backend (the form's buttons: send the e-contract, record the signed
  copy, enter in the register), the accountant records the paper SEPA B2B mandate, staff
  activate the plan, give the company its agent and call for the mandatory guarantee
  (EUR 1,000, ROI 2021), collected by debit;
- the seventh (index 6) is a **ROI 2019 affiliate**: an affiliation concluded in 2020 (no
  plan, no contribution), recorded by staff with Odoo's standard import of the existing
  affiliations (``coop.membership.load``, as the suite's test of that import does), its
  paper mandate recorded by the accountant; it is billed its services (the timesheets) and
  its mandatory guarantee;
- the eighth (index 7) is a **Swiss company** joining online: its CHE number is valid
  (python-stdnum) but VIES does not know it (not an EU number: the replayed VIES answers as
  the real one, an error), so the company's name is the one the agent types; the
  application waits for staff (only BE/FR/DE/LU/NL are accepted automatically), who accept
  it after a review some days later: the membership is concluded and runs;
- the third member (index 2, the notice of day 200) pays a guarantee early in the year (the
  agent tops it up on its trust page, staff post the call for funds, collected by debit);
  after its contract ended and its final settlement, the agent asks for the balance on its
  trust page and the accountant refunds it by SEPA credit transfer (as ``fault.py``).
"""

from datetime import date, timedelta

from odoo import Command

from .lifecycle import SIGNATURE

ROI2021_MEMBER = 5
ROI2021_PLAN = "coop_24pm_plans.plan_standard_2021"
ROI2021_JOIN_AFTER = 3  # days: staff enter the application
ROI2021_SIGNED_AFTER = 2  # days after: the signed copy comes back, staff record it and enter it in the register
GUARANTEE_CALL = 1000.00  # EUR: the ROI 2021 / 2019 minimum (mandatory guarantee)

AFFILIATE_MEMBER = 6
AFFILIATE_JOIN_AFTER = 2  # days: staff import the existing affiliation
AFFILIATE_NAME = "Ébénisterie Delvaux SRL"
AFFILIATE_SIGNED = date(2020, 3, 2)  # the affiliation contract, concluded before 1 May 2021
AFFILIATE_REGISTERED = date(2020, 3, 9)

SWISS_MEMBER = 7
SWISS_JOIN_AFTER = 6  # days
SWISS_REVIEW_AFTER = 4  # days after the join: staff accept the application
SWISS_VAT = "CHE-116.281.710 MWST"  # valid checksum (stdnum ch.uid / ch.vat)
SWISS_NAME = "Uhrwerk Keller AG"
SWISS_IBAN = "CH93 0076 2011 6238 5295 7"

REFUND_MEMBER = 2  # the member giving notice on day 200 (lifecycle.py)
REFUND_TOPUP_AFTER_JOIN = 15  # days: its agent pays a guarantee
REFUND_TOPUP = 1000.00
REFUND_ASK_AFTER = 245  # days: after the contract's end and its settlement, the agent asks for the balance
REFUND_AFTER_ASKED = 3  # days: the accountant refunds it


class RoiScenes:
    def _setup(self):
        res = super()._setup()
        # staff enter the companies of paper contracts: Odoo's contact creation right
        self.staff.sudo().group_ids = [Command.link(self.env.ref("base.group_partner_manager").id)]
        return res

    def _member_profile(self, index):
        profile = super()._member_profile(index)
        if index == ROI2021_MEMBER:
            profile.update(
                plan_xmlid=ROI2021_PLAN,
                join_day=self.start + timedelta(days=ROI2021_JOIN_AFTER),
                join_scene=self._scene_staff_application,
                company_email=f"info@{profile['agent_email'].split('@')[1]}",
            )
        elif index == AFFILIATE_MEMBER:
            profile.update(
                name=AFFILIATE_NAME,  # a name of its own: staff's import file names the company
                plan_xmlid=False,
                join_day=self.start + timedelta(days=AFFILIATE_JOIN_AFTER),
                join_scene=self._scene_import_affiliate,
                company_email=f"info@{profile['agent_email'].split('@')[1]}",
            )
        elif index == SWISS_MEMBER:
            profile.update(
                name=SWISS_NAME,
                vat=SWISS_VAT,
                typed_name=SWISS_NAME,
                street="Bahnhofstrasse 12",
                zip="8001",
                city="Zürich",
                lang="en_US",
                iban=SWISS_IBAN,
                agent_name="Anna Keller",
                agent_email=f"anna.keller@uhrwerk-keller-{index}.ch",
                capacity="Managing director",
                join_day=self.start + timedelta(days=SWISS_JOIN_AFTER),
            )
        return profile

    def _plan(self):
        res = super()._plan()
        if len(self.members) > SWISS_MEMBER:
            profile = self.members[SWISS_MEMBER]
            self.schedule(
                profile["join_day"] + timedelta(days=SWISS_REVIEW_AFTER), self._scene_accept_application, profile
            )
        if len(self.members) > REFUND_MEMBER:
            profile = self.members[REFUND_MEMBER]
            self.schedule(
                profile["join_day"] + timedelta(days=REFUND_TOPUP_AFTER_JOIN), self._scene_notice_topup, profile
            )
            self.schedule(self.start + timedelta(days=REFUND_ASK_AFTER), self._scene_ask_refund_after_notice, profile)
        return res

    def _vies_answer(self, vat, *args, **kwargs):
        """VIES knows the EU's VAT numbers only: for a Swiss number it answers an error
        (INVALID_INPUT), which the suite reads as "VIES could not be reached"."""
        if vat.upper().replace(" ", "").startswith("CH"):
            raise ConnectionError("INVALID_INPUT: not an EU VAT number")
        return super()._vies_answer(vat, *args, **kwargs)

    # ------------------------------------------------------------------
    # ROI 2021: a company entered by staff
    # ------------------------------------------------------------------
    def _staff_company(self, profile):
        """Staff create the company in the backend (name, VAT, address, e-mail)."""
        country = self.env.ref("base.be")
        return self.attempt(
            "staff: company",
            lambda: self.env["res.partner"]
            .with_user(self.staff)
            .create(
                {
                    "name": profile["name"],
                    "is_company": True,
                    "vat": profile["vat"],
                    "street": profile["street"],
                    "zip": profile["zip"],
                    "city": profile["city"],
                    "country_id": country.id,
                    "email": profile["company_email"],
                    "lang": profile["lang"] if self.env["res.lang"]._lang_get(profile["lang"]) else "en_US",
                }
            ),
        )

    def _accountant_mandate(self, profile, company, signed_on):
        """The accountant (who handles mandates) records the paper SEPA B2B mandate the
        member signed with its bank, and validates it."""

        def record():
            bank = (
                self.env["res.partner.bank"]
                .with_user(self.accountant)
                .create({"acc_number": profile["iban"], "partner_id": company.id})
            )
            mandate = (
                self.env["account.banking.mandate"]
                .with_user(self.accountant)
                .create(
                    {
                        "partner_bank_id": bank.id,
                        "format": "sepa",
                        "type": "recurrent",
                        "scheme": "B2B",
                        "recurrent_sequence_type": "first",
                        "signature_date": signed_on,
                        "company_id": self.env.company.id,
                    }
                )
            )
            mandate.validate()
            return mandate

        return self.attempt("paper mandate", record)

    def _staff_agent(self, profile, membership):
        """Staff give the company its agent (the membership form's New agent wizard)."""

        def create():
            # the backend's context: Odoo's portal invitation leaves for the agent (a test's
            # context says no_reset_password, which the form does not)
            wizard = (
                self.env["coop.agent.wizard"]
                .with_user(self.staff)
                .with_context(no_reset_password=False)
                .create(
                    {
                        "membership_id": membership.id,
                        "name": profile["agent_name"],
                        "email": profile["agent_email"],
                        "right_agents": True,
                    }
                )
            )
            wizard.action_confirm()
            return self.env["res.users"].sudo().search([("login", "=", profile["agent_email"])])

        user = self.attempt("staff: agent", create)
        if user:
            profile["user"] = user

    def _staff_guarantee_call(self, profile, membership):
        """Staff call for the mandatory guarantee (a guarantee movement, posted: a call for
        funds the debit job collects)."""

        def call():
            gmove = (
                self.env["coop.guarantee.move"]
                .with_user(self.staff)
                .create(
                    {
                        "membership_id": membership.id,
                        "operation": "receipt",
                        "amount": GUARANTEE_CALL,
                        "payment_method": "direct_debit",
                    }
                )
            )
            gmove.action_post()
            return gmove

        gmove = self.attempt("staff: guarantee call", call)
        if gmove:
            profile["guarantee_call"] = gmove.sudo().move_id

    def _scene_staff_application(self, profile):
        """Staff enter the company and its ROI 2021 application (Standard 2021, monthly, by
        debit) in the backend and send the e-contract; the signed copy comes back two days later."""
        company = self._staff_company(profile)
        if not company:
            return
        regulation = self.env.ref("coop_24pm_membership.regulation_roi_2021")
        plan = self.env.ref(profile["plan_xmlid"])

        def apply():
            application = (
                self.env["coop.membership.application"]
                .with_user(self.staff)
                .create(
                    {
                        "partner_id": company.id,
                        "regulation_id": regulation.id,
                        "plan_id": plan.id,
                        "commitment": "monthly",
                        "coop_payment_mode": "direct_debit",
                    }
                )
            )
            application.action_send_contract()
            return application

        application = self.attempt("staff: application", apply)
        if not application:
            return
        profile.update(partner=company.sudo(), application=application.sudo())
        self.note("join", f"{company.name}: application {application.name} entered by staff ({plan.display_name})")
        self.schedule(self.today + timedelta(days=ROI2021_SIGNED_AFTER), self._scene_staff_conclude, profile)

    def _scene_staff_conclude(self, profile):
        """The signed contract is back: staff record the signature (wizard), the accountant
        the paper mandate, staff enter the company in the register, activate the plan, give
        it its agent and call for the guarantee."""
        application = profile["application"].with_user(self.staff)
        company = profile["partner"]

        def sign():
            wizard = (
                self.env["coop.membership.sign.wizard"]
                .with_user(self.staff)
                .create(
                    {
                        "application_id": application.id,
                        "date_signed": self.today,
                        "signatory_name": profile["agent_name"],
                        "signatory_capacity": profile["capacity"],
                        "has_power": True,
                    }
                )
            )
            return wizard.action_confirm()

        if not self.attempt("staff: record signature", sign):
            return
        if not self._accountant_mandate(profile, company, self.today):
            return
        if not self.attempt("staff: enter in the register", application.action_conclude):
            return
        membership = application.sudo().membership_id
        profile["membership"] = membership
        if not self.attempt("staff: activate", membership.with_user(self.staff).action_activate):
            return
        self._staff_agent(profile, membership)
        self._staff_guarantee_call(profile, membership)
        self.note("join", f"{company.name}: concluded and activated by staff ({membership.plan_id.display_name})")

    # ------------------------------------------------------------------
    # ROI 2019: an existing affiliate recorded by staff
    # ------------------------------------------------------------------
    def _scene_import_affiliate(self, profile):
        """Staff record an existing affiliation (concluded in 2020, before 1 May 2021) with
        Odoo's standard import of the memberships; the accountant records its paper mandate
        (the payment mode follows it), staff give it its agent and call for its guarantee."""
        company = self._staff_company(profile)
        if not company:
            return
        regulation = self.env.ref("coop_24pm_membership.regulation_roi_2019")
        header = ["partner_id", "regulation_id", "date_signed", "date_registered", "state"]
        row = [
            company.name,
            regulation.with_context(lang=self.staff.lang).name,
            str(AFFILIATE_SIGNED),
            str(AFFILIATE_REGISTERED),
            "active",
        ]

        def load():
            # the file as staff write it, in their language
            result = (
                self.env["coop.membership"].with_user(self.staff).with_context(lang=self.staff.lang).load(header, [row])
            )
            if not result["ids"]:
                from odoo.exceptions import UserError

                raise UserError("; ".join(message["message"] for message in result["messages"]))
            return self.env["coop.membership"].browse(result["ids"])

        membership = self.attempt("staff: import affiliation", load)
        if not membership:
            return
        membership = membership.sudo()
        profile.update(partner=company.sudo(), membership=membership)
        # a B2B mandate signed anew for the suite (one of 2020 never debited here would be
        # expired by OCA's SDD mandate expiry job: 36 months without a debit); the payment
        # mode follows the valid mandate (direct debit)
        self._accountant_mandate(profile, company, self.today)
        self._staff_agent(profile, membership)
        self._staff_guarantee_call(profile, membership)
        self.note("join", f"{company.name}: affiliation of {AFFILIATE_SIGNED} imported by staff (ROI 2019)")

    # ------------------------------------------------------------------
    # a Swiss applicant: staff decide
    # ------------------------------------------------------------------
    def _scene_accept_application(self, profile):
        """Staff review the application waiting for them (a company outside BE/FR/DE/LU/NL)
        and accept it: signed, it is concluded at once."""
        application = profile.get("application")
        if not application:
            return
        profile["acceptance_before"] = application.acceptance
        profile["waiting_days"] = (self.today - application.date_application).days
        if self.attempt("staff: accept application", application.with_user(self.staff).action_accept):
            membership = application.membership_id
            profile["membership"] = membership
            # the member's bank confirms the mandate signed online (the accountant records it)
            self.schedule(self.today + timedelta(days=1), self._scene_confirm_mandate, profile)
            self.note(
                "join",
                f"{profile['partner'].name}: accepted by staff after review ({membership.name}, {membership.state})",
            )

    # ------------------------------------------------------------------
    # the third member's guarantee, refunded after its notice
    # ------------------------------------------------------------------
    def _scene_notice_topup(self, profile):
        """The agent pays a guarantee on its trust page; staff post the call for funds."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user:
            return
        membership_sudo = membership.with_user(user).sudo()
        gmove = self.attempt(
            "guarantee top-up", lambda: membership_sudo.action_request_topup(REFUND_TOPUP, requested_by=user)
        )
        if gmove and self.attempt("post guarantee call", lambda: gmove.with_user(self.staff).action_post()):
            profile["guarantee_call"] = gmove.sudo().move_id
            self.note("guarantee", f"{membership.partner_id.name}: call for funds {self.money(REFUND_TOPUP)} posted")

    def _scene_ask_refund_after_notice(self, profile):
        """After the end of the contract and its final settlement, the agent asks for the
        balance on its trust page (waiting another day while the settlement is not done)."""
        membership, user = profile.get("membership"), profile.get("user")
        if not membership or not user:
            return
        settlement = self.env["coop.membership.settlement"].sudo()._coop_of(membership.sudo())
        if membership.sudo().state != "terminated" or not settlement or settlement.state != "done":
            self.schedule(self.today + timedelta(days=1), self._scene_ask_refund_after_notice, profile)
            return
        membership_sudo = membership.with_user(user).sudo()
        if self.attempt("ask guarantee refund", membership_sudo.action_request_guarantee_refund):
            refund = membership.sudo().guarantee_id.refund_id
            profile["refund"] = refund
            self.note("guarantee", f"{membership.partner_id.name}: refund of the guarantee asked after the settlement")
            self.schedule(self.today + timedelta(days=REFUND_AFTER_ASKED), self._scene_refund_after_notice, profile)

    def _scene_refund_after_notice(self, profile):
        """The accountant refunds the balance by SEPA credit transfer."""
        refund = profile.get("refund")
        if refund and self.attempt("refund guarantee", refund.with_user(self.accountant).action_refund):
            self.note(
                "guarantee", f"{refund.partner_id.name}: guarantee {self.money(refund.amount)} refunded after notice"
            )


__all__ = ["SIGNATURE", "RoiScenes"]
