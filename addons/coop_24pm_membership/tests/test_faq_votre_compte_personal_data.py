"""FAQ "Votre compte" (SPEC 2.3): a prospect's account is deleted at once; a member's
closes only through its termination; a former member's agents and contacts are
anonymised once the retention period of the accounting evidence has passed (OCA
privacy_partner_to_be_forgotten), the accounting entries kept."""

from freezegun import freeze_time

from odoo import Command, http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestFaqVotreComptePersonalData(CoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("privacy_partner_to_be_forgotten.group_partner_anonymize")
        cls.activity_type = cls.env.ref("coop_24pm_membership.mail_activity_coop_personal_data")
        cls.env.company.coop_data_retention_years = 10

    def _portal_user(self, company, name, login):
        contact = self.env["res.partner"].create(
            {"name": name, "email": login, "phone": "+32 2 555 01 01", "parent_id": company.id}
        )
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "partner_id": contact.id,
                    "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )

    def _former_member(self):
        company = self._make_company("Ancien Membre SRL", vat="BE0477472701")
        membership = self._make_member(company, date="2026-01-05")
        agent = self.env["res.partner"]._coop_create_agent(company, "Anne Agent", "anne.agent@example.com")
        contact = self.env["res.partner"].create(
            {"name": "Marc Contact", "email": "marc@example.com", "phone": "+32 2 555 02 02", "parent_id": company.id}
        )
        membership.action_terminate("2026-06-30")
        return membership, agent, contact

    def _due_activities(self, membership):
        return membership.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_type)

    def test_faq_prospect_account_deleted_at_once(self):
        prospect = self._make_company("Prospect SRL", vat="BE0403170701")
        user = self._portal_user(prospect, "Paul Prospect", "paul.prospect@example.com")
        partner = user.partner_id
        user.sudo()._deactivate_portal_user()
        self.assertFalse(user.with_context(active_test=False).active)
        self.assertNotEqual(user.with_context(active_test=False).login, "paul.prospect@example.com")
        self.assertRecordValues(
            partner.with_context(active_test=False),
            [{"name": "PP Anonymized", "phone": False, "active": False}],
        )
        self.assertTrue(partner.email.endswith("@anonymized.oca"))
        self.assertTrue(self.env["res.users.deletion"].search([("user_id", "=", user.id)]))

    def test_faq_member_account_closes_only_through_termination(self):
        company = self._make_company("Membre Actif SRL", vat="BE0202239951")
        self._make_member(company)
        agent = self.env["res.partner"]._coop_create_agent(company, "Alice Agent", "alice.agent@example.com")
        with self.assertRaises(UserError) as caught:
            agent.sudo()._deactivate_portal_user()
        self.assertIn('FAQ "Votre compte"', str(caught.exception))
        self.assertIn("art. 4.4.1", str(caught.exception))
        self.assertRecordValues(agent, [{"active": True, "login": "alice.agent@example.com"}])
        self.assertEqual(agent.partner_id.name, "Alice Agent")

    def test_faq_former_member_anonymised_after_the_retention_period(self):
        membership, agent, contact = self._former_member()
        self.assertEqual(str(membership.termination_id.coop_data_retention_date), "2036-06-30")
        company = membership.partner_id
        moves = self.env["account.move"].search([("partner_id", "=", company.id)])
        self.assertTrue(moves)

        # before the retention date: nothing is listed, anonymising is refused naming the rule
        with freeze_time("2036-06-29"):
            self.env["coop.personal.data.retention"]._cron_due()
            self.assertFalse(self._due_activities(membership))
            with self.assertRaises(UserError) as caught:
                membership.action_coop_anonymise_personal_data()
            self.assertIn('FAQ "Votre compte"', str(caught.exception))
            self.assertIn("10 years", str(caught.exception))
            wizard = self.env["partner.anonymize.wizard"].with_context(active_ids=company.ids).create({})
            with self.assertRaises(UserError) as caught:
                wizard.action_confirm()
            self.assertIn("cannot be anonymised before", str(caught.exception))
        self.assertRecordValues(
            agent.partner_id | contact,
            [{"name": "Anne Agent", "active": True}, {"name": "Marc Contact", "active": True}],
        )
        self.assertTrue(agent.active)
        self.assertFalse(membership.termination_id.coop_data_anonymised_date)

        # on the retention date: listed once for staff to confirm
        with freeze_time("2036-06-30"):
            self.env["coop.personal.data.retention"]._cron_due()
            self.env["coop.personal.data.retention"]._cron_due()
        self.assertEqual(len(self._due_activities(membership)), 1)

        with freeze_time("2036-07-02"):
            membership.action_coop_anonymise_personal_data()
        people = (agent.partner_id | contact).with_context(active_test=False)
        self.assertRecordValues(
            people,
            [
                {"name": "AA Anonymized", "phone": False, "active": False},
                {"name": "MC Anonymized", "phone": False, "active": False},
            ],
        )
        self.assertFalse(agent.with_context(active_test=False).active)
        self.assertEqual(str(membership.termination_id.coop_data_anonymised_date), "2036-07-02")
        # a second press changes nothing and says when it was done
        with freeze_time("2036-07-05"), self.assertRaisesRegex(UserError, "already anonymised on 07/02/2036"):
            membership.action_coop_anonymise_personal_data()
        self.assertEqual(str(membership.termination_id.coop_data_anonymised_date), "2036-07-02")
        self.assertFalse(self._due_activities(membership))
        # the accounting entries are kept, on the member company
        self.assertEqual(self.env["account.move"].search([("partner_id", "=", company.id)]), moves)
        self.assertEqual(company.name, "Ancien Membre SRL")
        with freeze_time("2036-07-09"):
            self.env["coop.personal.data.retention"]._cron_due()
        self.assertFalse(self._due_activities(membership))

    def test_faq_retention_period_is_a_company_setting(self):
        membership, _agent, _contact = self._former_member()
        for years in (4, 11):
            with self.assertRaises(ValidationError) as caught:
                self.env.company.coop_data_retention_years = years
            self.assertIn('FAQ "Votre compte"', str(caught.exception))
        self.assertEqual(self.env.company.coop_data_retention_years, 10)
        settings = self.env["res.config.settings"].create({"coop_data_retention_years": 7})
        settings.execute()
        self.assertEqual(self.env.company.coop_data_retention_years, 7)
        membership.termination_id.invalidate_recordset(["coop_data_retention_date"])
        self.assertEqual(str(membership.termination_id.coop_data_retention_date), "2033-06-30")


@tagged("post_install", "-at_install")
class TestFaqVotreComptePortal(CoopCommon, HttpCase):
    """The same rule through Odoo's own portal page (/my/security, "Delete account")."""

    def _delete_account(self, login, password):
        self.authenticate(login, password)
        return self.url_open(
            "/my/deactivate_account",
            data={"validation": login, "password": password, "csrf_token": http.Request.csrf_token(self)},
        )

    def test_faq_portal_prospect_deletes_its_account_member_cannot(self):
        prospect = self._make_company("Prospect Portail SRL", vat="BE0458402105")
        contact = self.env["res.partner"].create(
            {"name": "Pia Prospect", "email": "pia@example.com", "parent_id": prospect.id}
        )
        user = self._make_portal_user(contact, "pia-portal-pass")
        response = self._delete_account("pia@example.com", "pia-portal-pass")
        self.assertIn("/web/login", response.url)
        self.assertFalse(user.with_context(active_test=False).active)
        self.assertEqual(contact.with_context(active_test=False).name, "PP Anonymized")

        member = self._make_company("Membre Portail SRL", vat="BE0417497106")
        self._make_member(member)
        agent = self.env["res.partner"]._coop_create_agent(
            member, "Manon Mandataire", "manon@example.com", password="manon-portal-pass"
        )
        response = self._delete_account("manon@example.com", "manon-portal-pass")
        self.assertEqual(response.status_code, 200)
        self.assertIn("art. 4.4.1", response.text)
        self.assertRecordValues(agent, [{"active": True, "login": "manon@example.com"}])
        self.assertEqual(agent.partner_id.name, "Manon Mandataire")

    def test_faq_french_tour_prospect_deletes_its_account(self):
        prospect = self._make_company("Prospect Visite SRL", vat="BE0458402105")
        contact = self.env["res.partner"].create(
            {"name": "Pia Prospect", "email": "pia@example.com", "parent_id": prospect.id, "lang": "fr_BE"}
        )
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        user = self._make_portal_user(contact, "pia-portal-pass")
        self.start_tour(f"/{lang.url_code}/my/security", "coop_prospect_delete_account_tour", login="pia@example.com")
        self.assertFalse(user.with_context(active_test=False).active)
        self.assertEqual(contact.with_context(active_test=False).name, "PP Anonymized")
