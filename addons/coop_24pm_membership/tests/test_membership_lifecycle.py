import psycopg2

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.coop_membership import TRANSITIONS
from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestMembershipLifecycle(CoopCommon):
    def test_lifecycle_application_to_active(self):
        """Issue 15: the journey before the conclusion is the application's; the membership
        exists from its entry in the register (registered, a member), then becomes active."""
        partner = self._make_company("Brasserie SRL", vat="BE0477472701")
        self.env["res.partner"]._coop_create_agent(partner, "Claire Peeters", "claire@brasserie.example.com")
        application = self._make_application(partner)
        self.assertEqual(partner.coop_status, "applicant")
        application.action_send_contract()
        application.action_sign("2026-02-01", "Claire Peeters", "Managing director", True)
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))
        application.action_conclude("2026-02-03")
        membership = application.membership_id
        self.assertRecordValues(
            membership,
            [
                {
                    "state": "registered",
                    "date_registered": fields.Date.to_date("2026-02-03"),
                    "date_signed": fields.Date.to_date("2026-02-01"),
                    "application_id": application.id,
                    "b_shares": 1,
                }
            ],
        )
        self.assertRecordValues(
            membership.application_id,
            [
                {
                    "signatory_name": "Claire Peeters",
                    "signatory_capacity": "Managing director",
                    "signatory_has_power": True,
                }
            ],
        )
        self.assertEqual(partner.coop_status, "member")
        membership.action_activate()
        self.assertEqual(membership.state, "active")
        self.assertTrue(membership.date_start)

    def test_membership_states_start_at_the_conclusion(self):
        """Issue 15: application, contract sent and signed are no longer states of a membership."""
        states = [value for value, _label in self.env["coop.membership"]._fields["state"].selection]
        self.assertEqual(states, ["registered", "active", "suspended", "notice", "terminated"])
        for action, start_states in TRANSITIONS.items():
            self.assertLessEqual(set(start_states), set(states), action)

    def test_transitions_refused_from_wrong_state(self):
        membership = self._make_member(self._make_company("Ordre SA", vat="BE0403170701"), activate=False)
        self.assertNotIn("registered", TRANSITIONS["action_resume"])
        with self.assertRaisesRegex(UserError, "is in state 'Registered': this action needs the state 'Suspended'"):
            membership.action_resume()
        membership.action_terminate("2026-06-30")
        for action in ("action_activate", "action_suspend", "action_give_notice", "action_terminate"):
            with self.assertRaisesRegex(UserError, "is in state 'Terminated': this action needs the state"):
                getattr(membership, action)()
        self.assertEqual(membership.state, "terminated")

    def test_individual_cannot_become_member(self):
        person = self.env["res.partner"].create({"name": "Jean Dupont", "is_company": False})
        with self.assertRaisesRegex(ValidationError, "individual"):
            self._make_application(person)
        self.assertFalse(self.env["coop.membership.application"].search([("partner_id", "=", person.id)]))

    def test_one_open_membership_and_rejoin(self):
        partner = self._make_company("Retour SRL", vat="BE0403170701")
        first = self._make_member(partner)
        # the unique index on open memberships refuses a second one (Odoo shows its message)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["coop.membership"].create({"partner_id": partner.id, "regulation_id": self.roi_2023.id})
        first.action_terminate("2026-06-30")
        self.assertEqual(partner.coop_status, "former")
        application = self._make_application(partner)
        self.assertEqual(partner.coop_status, "applicant")
        application.action_send_contract()
        application.action_sign("2026-07-01", "Claire Peeters", "Managing director", True)
        application.action_conclude("2026-07-02")
        second = application.membership_id
        self.assertNotEqual(first, second)
        self.assertRecordValues(second, [{"state": "registered", "b_shares": 1}])
        self.assertEqual(partner.coop_status, "member")

    def test_monthly_notice_end_date(self):
        membership = self._make_member(self._make_company("Mensuel SRL", vat="BE0403170701"))
        membership.action_give_notice("2026-03-12", "member")
        self.assertEqual(membership.state, "notice")
        self.assertEqual(membership.termination_id.notice_given_by, "member")
        self.assertEqual(str(membership.date_end), "2026-04-12")

    def test_annual_notice_end_date(self):
        membership = self._make_member(self._make_company("Annuel SRL", vat="BE0403170701"), commitment="annual")
        membership.date_start = "2026-01-05"
        membership.action_give_notice("2026-10-04")
        self.assertEqual(str(membership.date_end), "2027-01-04")
        late = self._make_member(self._make_company("Tardif SRL", vat="BE0477472701"), commitment="annual")
        late.date_start = "2026-01-05"
        late.action_give_notice("2026-10-06")
        self.assertEqual(str(late.date_end), "2028-01-04")

    def test_annual_commitment_refused_by_2021_regulation(self):
        with self.assertRaisesRegex(ValidationError, "monthly commitments only"):
            self._make_application(
                self._make_company("Vieux SRL", vat="BE0403170701"), self.roi_2021, commitment="annual"
            )

    def test_cron_terminates_after_notice_period(self):
        membership = self._make_member(self._make_company("Fin SRL", vat="BE0403170701"))
        membership.action_give_notice("2026-03-12")
        self.env["coop.membership.termination"]._cron_terminate_after_notice()
        self.assertEqual(membership.state, "terminated")
        self.assertEqual(str(membership.termination_id.date_terminated), "2026-04-12")
        self.assertEqual(str(membership.termination_id.non_solicitation_end), "2027-04-12")
        self.assertEqual(membership.b_shares, 0)

    def test_fault_termination_indemnity_minimum(self):
        membership = self._make_member(self._make_company("Faute SRL", vat="BE0403170701"))
        with self.assertRaisesRegex(UserError, "Describe"):
            membership.action_terminate("2026-05-10", "fault", "member", "")
        self.assertEqual(membership.state, "active")
        membership.action_terminate("2026-05-10", "fault", "member", "Art. 8.3.3: instructed employees directly")
        self.assertEqual(membership.state, "terminated")
        self.assertRecordValues(
            membership.termination_id,
            [
                {
                    "termination_type": "fault",
                    "fault_party": "member",
                    "fault_indemnity_amount": 1000.0,
                }
            ],
        )
        self.assertEqual(str(membership.termination_id.non_solicitation_end), "2027-05-10")

    def test_pm_change_request(self):
        membership = self._make_member(self._make_company("PM SRL", vat="BE0403170701"), pm_id=self.env.user.id)
        request = self.env["coop.pm.change.request"].create({"membership_id": membership.id, "reason": "No answer"})
        with self.assertRaisesRegex(UserError, "new Project Manager"):
            request.action_approve()
        request.new_pm_id = self.staff
        request.action_approve()
        self.assertEqual(membership.pm_id, self.staff)
        self.assertEqual(request.state, "done")

    def test_backend_form_and_wizards(self):
        """The staff path through the views: form, signature wizard, notice wizard."""
        from odoo.tests import Form

        partner = self._make_company("Formulaire SRL", vat="BE0477472701")
        with Form(self.env["coop.membership.application"]) as form:
            form.partner_id = partner
            form.regulation_id = self.roi_2023
            form.commitment = "annual"
        application = form.record
        self.assertEqual(application.acceptance, "auto")
        application.action_send_contract()
        self._sign_with_form(application)
        self.assertEqual(application.state, "signed")
        application.action_conclude()
        membership = application.membership_id
        self.assertRecordValues(membership, [{"state": "registered", "commitment": "annual"}])
        membership.action_activate()
        membership.date_start = "2026-01-01"
        action = membership.action_open_notice_wizard()
        with Form(self.env[action["res_model"]].with_context(**action["context"])) as wizard:
            wizard.date_notice = "2026-09-30"
            self.assertEqual(str(wizard.date_end), "2026-12-31")
        wizard.record.action_confirm()
        self.assertEqual(str(membership.date_end), "2026-12-31")
