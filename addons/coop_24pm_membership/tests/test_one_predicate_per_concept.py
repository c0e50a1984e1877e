"""Issue 21, one predicate per concept: an agent's rights, the member states, the
transitions and the signature rule are each decided in one place that the record rules,
controllers and models read, so that no path forgets a refusal."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestOnePredicatePerConcept(CoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.company = cls._make_company("Predicat SRL", vat="BE0477472701")
        cls.member = cls._make_member(cls.company)
        cls.fanny = Partner._coop_create_agent(
            cls.company, "Fanny Finance", "fanny@predicat.example.com", finance=True, projects=False
        )
        cls.paul = Partner._coop_create_agent(
            cls.company, "Paul Projets", "paul@predicat.example.com", finance=False, projects=True
        )

    def test_art_4_6_one_predicate_per_right(self):
        people = self.fanny.partner_id | self.paul.partner_id | self.company | self.staff.partner_id
        self.assertRecordValues(
            people,
            [
                {"coop_has_finance_right": True, "coop_has_projects_right": False, "coop_has_agents_right": False},
                {"coop_has_finance_right": False, "coop_has_projects_right": True, "coop_has_agents_right": False},
                # the company itself and 24PM's staff hold every right
                {"coop_has_finance_right": True, "coop_has_projects_right": True, "coop_has_agents_right": True},
                {"coop_has_finance_right": True, "coop_has_projects_right": True, "coop_has_agents_right": True},
            ],
        )

    def test_art_4_6_record_rules_read_the_predicate(self):
        Share = self.env["coop.share.line"]
        own = Share.search([("partner_id", "=", self.company.id)])
        self.assertTrue(own)
        self.assertEqual(Share.with_user(self.fanny).search([]), own)
        self.assertFalse(Share.with_user(self.paul).search([]))

    def test_art_4_6_refusal_in_the_model(self):
        with self.assertRaisesRegex(UserError, "^Not for you.$"):
            self.paul.partner_id._coop_check_right("finance", "Not for you.")
        self.fanny.partner_id._coop_check_right("finance", "Not for you.")
        # the mandate's own rule: at least the finance or the projects right, wherever it is given
        with self.assertRaisesRegex(UserError, "An agent has at least the finance or the projects right."):
            self.env["res.partner"]._coop_create_agent(
                self.company, "Nina Nothing", "nina@predicat.example.com", finance=False, projects=False
            )
        self.assertFalse(self.env["res.users"].search([("login", "=", "nina@predicat.example.com")]))

    def test_spec_2_3_is_member_and_the_state_domain(self):
        Membership = self.env["coop.membership"]
        self.assertTrue(self.member.is_member)
        in_member = Membership.search(Membership._coop_state_domain("member") & Domain("id", "=", self.member.id))
        self.assertEqual(in_member, self.member)
        self.member.action_suspend()
        self.assertTrue(self.member.is_member)
        serving = Membership.search(Membership._coop_state_domain("serving") & Domain("id", "=", self.member.id))
        self.assertFalse(serving)
        bound = Membership.search(Membership._coop_state_domain("bound") & Domain("id", "=", self.member.id))
        self.assertEqual(bound, self.member)
        # the same domain from another model, through its path to the membership
        shares = self.env["coop.share.line"].search(
            Membership._coop_state_domain("member", "membership_id") & Domain("partner_id", "=", self.company.id)
        )
        self.assertEqual(shares.membership_id, self.member)
        self.assertTrue(self.env["coop.membership"].search([("is_member", "=", True), ("id", "=", self.member.id)]))

    def test_spec_7_4_one_transition_check(self):
        with self.assertRaisesRegex(UserError, "is in state 'Active': this action needs the state 'Suspended'."):
            self.member.action_resume()
        self.assertEqual(self.member.state, "active")

    def test_spec_2_1_one_signature_rule(self):
        application = self._make_application(self._make_company("Signe SRL", vat="BE0403170701"))
        application.action_send_contract()
        with self.assertRaisesRegex(UserError, "Give the name and the capacity of the signatory."):
            application.action_sign("2026-01-05", "  ", "Gérante", True)
        with self.assertRaisesRegex(UserError, "power to bind the company"):
            application.action_sign("2026-01-05", "Anne Favre", "Gérante", False)
        self.assertEqual(application.state, "sent")
        application.action_sign("2026-01-05", " Anne Favre ", " Gérante ", True)
        self.assertRecordValues(
            application,
            [
                {
                    "state": "signed",
                    "signatory_name": "Anne Favre",
                    "signatory_capacity": "Gérante",
                    "signatory_has_power": True,
                }
            ],
        )

    def test_roi_2019_art_3_transfer_signed_on_the_portal_needs_the_management_right(self):
        atelier = self._make_company("Atelier Predicat SRL", vat="BE0403170701")
        with freeze_time("2020-03-02"):
            affiliate = self._make_member(atelier, date="2020-03-02", regulation=self.roi_2019, activate=False)
        finance = self.env["res.partner"]._coop_create_agent(atelier, "Fred Finance", "fred@atelier.example.com")
        transfer = self.env["coop.membership.transfer"].create(
            {"membership_id": affiliate.id, "new_regulation_id": self.roi_2023.id, "date_transfer": "2024-01-01"}
        )
        transfer.action_send()
        with self.assertRaisesRegex(UserError, "Only an agent holding the management right signs the transfer"):
            transfer.action_sign(False, "Fred Finance", "Comptable", True, user=finance)
        with self.assertRaisesRegex(UserError, "Give the name and the capacity of the signatory."):
            transfer.action_sign(False, "", "Gérant", True)
        self.assertRecordValues(transfer, [{"state": "sent", "signatory_name": False, "sign_channel": False}])

    def test_art_8_2_one_responsible_user(self):
        """The member's PM, else its AM (the AM first for money and data matters), else the
        fallback each caller names."""
        admin = self.env.ref("base.user_admin")
        member = self.member
        member.write({"pm_id": False, "am_id": False})
        self.assertFalse(member._coop_responsible_user())
        self.assertEqual(member._coop_responsible_user(admin), admin)
        self.assertEqual(self.env["coop.membership"]._coop_responsible_user(admin), admin, "no member: the fallback")
        member.am_id = self.staff
        self.assertEqual(member._coop_responsible_user(admin), self.staff, "no PM: the AM")
        member.write({"pm_id": admin, "am_id": self.staff})
        self.assertEqual(member._coop_responsible_user(self.env.user), admin)
        self.assertEqual(member._coop_responsible_user(self.env.user, prefer="am"), self.staff)
