import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.coop_membership_application import APPLICATION_TRANSITIONS
from .common import CoopCommon
from .test_invoice_pdf_legal_mentions import pdf_text


@tagged("post_install", "-at_install")
class TestMembershipApplication(CoopCommon):
    """Issue 15 item 4: an application is its own record; the membership exists from the
    conclusion of the contract (signed, accepted and entered in the register)."""

    def _moves_of(self, partner):
        return self.env["account.move"].search([("partner_id", "=", partner.id)])

    def test_staff_application_concluded_into_a_membership(self):
        partner = self._make_company("Demande SRL", vat="BE0477472701")
        agent = self.env["res.partner"]._coop_create_agent(partner, "Claire Peeters", "claire@demande.example.com")
        capital_before = self._capital_balance()
        application = self._make_application(partner)
        self.assertRecordValues(application, [{"state": "draft", "acceptance": "auto", "membership_id": False}])
        self.assertTrue(application.name.startswith("APP/"))
        self.assertEqual(partner.coop_status, "applicant")
        application.action_send_contract()
        self.assertEqual(application.state, "sent")
        # SPEC 7.3: the e-contract goes to the agent, with the contract PDF of the application
        message = application.message_ids.filtered(
            lambda m: m.subject == f"Your 24PM membership contract {application.name}"
        )
        self.assertEqual(len(message), 1)
        self.assertIn(agent.partner_id, message.partner_ids)
        # the contract rendered for the application (the tests' report engine gives its HTML)
        self.assertEqual(message.attachment_ids.mapped("name"), [f"Contract - {application.name}.html"])
        application.action_sign("2026-02-01", "Claire Peeters", "Managing director", True)
        self.assertRecordValues(
            application, [{"state": "signed", "signatory_name": "Claire Peeters", "membership_id": False}]
        )
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))
        application.action_conclude("2026-02-03")
        membership = application.membership_id
        self.assertRecordValues(application, [{"state": "done"}])
        self.assertRecordValues(
            membership,
            [
                {
                    "state": "registered",
                    "partner_id": partner.id,
                    "regulation_id": self.roi_2023.id,
                    "commitment": "monthly",
                    # issue 21: the journey's values are read on the application it points to
                    "application_id": application.id,
                    "b_shares": 1,
                }
            ],
        )
        self.assertRecordValues(
            membership.application_id,
            [
                {
                    "acceptance": "auto",
                    "signatory_name": "Claire Peeters",
                    "signatory_capacity": "Managing director",
                    "signatory_has_power": True,
                }
            ],
        )
        self.assertEqual(str(membership.date_signed), "2026-02-01")
        self.assertEqual(str(membership.date_registered), "2026-02-03")
        self.assertEqual(partner.coop_status, "member")
        self.assertAlmostEqual(self._capital_balance() - capital_before, 1.0, places=2)

    def test_swiss_application_waits_for_staff_then_is_concluded(self):
        partner = self._make_company("Horlogerie Demande SA", "ch")
        application = self._make_application(partner)
        self.assertRecordValues(application, [{"acceptance": "pending", "attention": "waiting"}])
        self.assertTrue(application.activity_ids, "staff get an activity to review the application")
        self.assertIn(application, self.env["coop.membership.application"].search([("attention", "=", "waiting")]))
        application.action_send_contract()
        application.action_sign("2026-02-01", "Anne Favre", "Administratrice", True)
        with self.assertRaisesRegex(UserError, "staff must accept the application first"):
            application.action_conclude("2026-02-02")
        self.assertFalse(application.membership_id)
        self.assertFalse(self._moves_of(partner), "nothing is invoiced before the acceptance")
        application.with_user(self.staff).action_accept()
        membership = application.membership_id
        self.assertRecordValues(application, [{"state": "done", "acceptance": "accepted", "attention": False}])
        self.assertRecordValues(membership, [{"state": "registered", "application_id": application.id, "b_shares": 1}])
        self.assertFalse(application.activity_ids)

    def test_refusal_creates_nothing(self):
        partner = self._make_company("Refus Demande SA", "ch")
        agent = self.env["res.partner"]._coop_create_agent(partner, "Anne Favre", "anne@refus.example.ch")
        application = self._make_application(partner)
        application.action_send_contract()
        application.action_refuse("Outside our service area")
        self.assertRecordValues(
            application,
            [{"state": "refused", "acceptance": "refused", "refusal_reason": "Outside our service area"}],
        )
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))
        self.assertFalse(self._moves_of(partner))
        refusal = application.message_ids.filtered(
            lambda m: m.subject == f"Your application to 24PM ({application.name})"
        )
        self.assertIn(agent.partner_id, refusal.partner_ids)
        self.assertIn("Outside our service area", refusal.body)
        with self.assertRaisesRegex(UserError, "is in state 'Refused': this action needs the state"):
            application.action_send_contract()

    def test_auto_accepted_application_cannot_be_refused(self):
        application = self._make_application(self._make_company("Belge SRL", vat="BE0403170701"))
        with self.assertRaisesRegex(UserError, "Only an application waiting for staff can be refused"):
            application.action_refuse("no")
        self.assertRecordValues(application, [{"state": "draft", "acceptance": "auto"}])

    def test_transitions_refused_from_wrong_state(self):
        application = self._make_application(self._make_company("Ordre Demande SA", vat="BE0403170701"))
        self.assertNotIn("draft", APPLICATION_TRANSITIONS["action_sign"])
        with self.assertRaisesRegex(
            UserError, "is in state 'Application': this action needs the state 'Contract sent'"
        ):
            application.action_sign("2026-02-01", "John Doe", "Director", True)
        with self.assertRaisesRegex(UserError, "is in state 'Application': this action needs the state 'Signed'"):
            application.action_conclude()
        application.action_send_contract()
        with self.assertRaisesRegex(UserError, "power to bind"):
            application.action_sign("2026-02-01", "John Doe", "Employee", False)
        self.assertRecordValues(application, [{"state": "sent", "signatory_name": False}])

    def test_one_application_in_progress_per_company(self):
        company = self._make_company("Double Demande SRL", vat="BE0477472701")
        first = self._make_application(company)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._make_application(company)
        first.action_cancel()
        first.flush_recordset()
        second = self._make_application(company)  # a withdrawn application may be made again
        self.assertNotEqual(first, second)

    def test_a_member_cannot_apply_again(self):
        member = self._make_member(self._make_company("Deja Membre SRL", vat="BE0477472701"))
        with self.assertRaisesRegex(Exception, "already a member"):
            self._make_application(member.partner_id)

    def test_sign_wizard_records_the_signature(self):
        with Form(self.env["coop.membership.application"]) as form:
            form.partner_id = self._make_company("Formulaire Demande SRL", vat="BE0477472701")
            form.regulation_id = self.roi_2023
            form.commitment = "annual"
        application = form.record
        application.action_send_contract()
        self._sign_with_form(application)
        self.assertRecordValues(application, [{"state": "signed", "signatory_capacity": "Gérante"}])
        application.action_conclude()
        self.assertRecordValues(application.membership_id, [{"commitment": "annual", "state": "registered"}])

    def test_portal_agent_sees_only_its_own_company_applications(self):
        app_a = self._make_application(self._make_company("Portail A SRL", vat="BE0477472701"))
        app_b = self._make_application(self._make_company("Portail B SRL", vat="BE0403170701"))
        Partner = self.env["res.partner"]
        agent_a = Partner._coop_create_agent(app_a.partner_id, "Agent A", "app.a@example.com")
        agent_b = Partner._coop_create_agent(app_b.partner_id, "Agent B", "app.b@example.com")
        Application = self.env["coop.membership.application"]
        self.assertEqual(Application.with_user(agent_a).search([]), app_a)
        self.assertEqual(app_a.with_user(agent_a).read(["name"])[0]["name"], app_a.name)
        with self.assertRaises(AccessError):
            app_a.with_user(agent_b).read(["name"])
        with self.assertRaises(AccessError):
            app_b.with_user(agent_b).write({"commitment": "annual"})
        self.assertEqual(app_b.commitment, "monthly")

    def test_contract_pdf_rendered_for_the_application(self):
        """The e-contract is sent and signed before the membership exists: its PDF (read
        from what wkhtmltopdf renders) is the application's."""
        application = self._make_application(self._make_company("Contrat Demande SRL", vat="BE0477472701"))
        application.action_send_contract()
        application.action_sign("2026-02-01", "Claire Peeters", "Managing director", True)
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("coop_24pm_membership.action_report_application_contract", application.ids)
        )
        self.assertEqual(content_type, "pdf")
        text = " ".join(pdf_text(content).split())
        self.assertIn(f"Membership contract {application.name}", text)
        self.assertIn("Contrat Demande SRL", text)
        self.assertIn("ROI 2023", text)
        self.assertIn("Claire Peeters", text)

    def test_new_membership_button_of_a_company_opens_an_application(self):
        partner = self._make_company("Bouton Demande SRL", vat="BE0477472701")
        action = partner.action_coop_new_membership()
        application = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(action["res_model"], "coop.membership.application")
        self.assertRecordValues(application, [{"partner_id": partner.id, "state": "draft"}])
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))

    def test_applications_list_shows_waiting_in_blue_and_the_journey_step(self):
        """Issue 22's blue (waiting for staff) and the online journey's step are the applications list's."""
        arch = self.env["coop.membership.application"].get_view(view_type="list")["arch"]
        self.assertIn("decoration-info=\"attention == 'waiting'\"", arch)
        self.assertIn('name="join_step"', arch)
        waiting = self._make_application(self._make_company("Liste Attente SA", "ch"))
        calm = self._make_application(self._make_company("Liste Calme SRL", vat="BE0477472701"))
        Application = self.env["coop.membership.application"]
        found = Application.search([("id", "in", (waiting | calm).ids), ("attention", "=", "waiting")])
        self.assertEqual(found, waiting)
        self.assertEqual(Application.search([("id", "in", (waiting | calm).ids), ("attention", "=", False)]), calm)
