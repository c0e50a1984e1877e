import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.coop_membership import TRANSITIONS
from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestMembershipLifecycle(CoopCommon):
    def test_lifecycle_application_to_active(self):
        partner = self._make_company("Brasserie SRL", vat="BE0477472701")
        agent = self.env["res.partner"]._coop_create_agent(partner, "Claire Peeters", "claire@brasserie.example.com")
        membership = self._make_membership(partner)
        self.assertEqual(partner.coop_status, "applicant")
        membership.action_send_contract()
        self.assertEqual(membership.state, "sent")
        # SPEC 7.3: the e-contract goes to the agent (the company has no address of its own)
        notice = membership.notice_ids
        self.assertRecordValues(
            notice, [{"kind": "contract", "state": "outgoing", "recipient_ids": agent.partner_id.ids}]
        )
        self.assertIn("membership contract", notice.message_id.subject)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])
        self.assertIn(agent.partner_id, mails.recipient_ids)
        membership.action_sign("2026-02-01", "Claire Peeters", "Managing director", True)
        self.assertRecordValues(
            membership,
            [
                {
                    "state": "signed",
                    "signatory_name": "Claire Peeters",
                    "signatory_capacity": "Managing director",
                    "signatory_has_power": True,
                }
            ],
        )
        membership.action_register("2026-02-03")
        self.assertEqual(membership.state, "registered")
        self.assertEqual(partner.coop_status, "member")
        membership.action_activate()
        self.assertEqual(membership.state, "active")
        self.assertTrue(membership.date_start)

    def test_signature_requires_power_to_bind(self):
        membership = self._make_membership(self._make_company("Sans Pouvoir SA", vat="BE0403170701"))
        membership.action_send_contract()
        with self.assertRaisesRegex(UserError, "power to bind"):
            membership.action_sign("2026-02-01", "John Doe", "Employee", False)
        self.assertEqual(membership.state, "sent")
        self.assertFalse(membership.signatory_name)

    def test_transitions_refused_from_wrong_state(self):
        membership = self._make_membership(self._make_company("Ordre SA", vat="BE0403170701"))
        for action in ("action_register", "action_activate", "action_suspend", "action_give_notice"):
            self.assertNotIn("draft", TRANSITIONS[action])
            with self.assertRaisesRegex(UserError, "is in state 'Application': this action needs the state"):
                getattr(membership, action)()
        self.assertEqual(membership.state, "draft")

    def test_individual_cannot_become_member(self):
        person = self.env["res.partner"].create({"name": "Jean Dupont", "is_company": False})
        with self.assertRaisesRegex(ValidationError, "individual"):
            self._make_membership(person)
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", person.id)]))

    def test_one_open_membership_and_rejoin(self):
        partner = self._make_company("Retour SRL", vat="BE0403170701")
        first = self._make_member(partner)
        # the unique index on open memberships refuses it (Odoo shows its message to the user)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._make_membership(partner)
        first.action_terminate("2026-06-30")
        self.assertEqual(partner.coop_status, "former")
        second = self._make_membership(partner)
        self.assertEqual(partner.coop_status, "applicant")
        self.assertNotEqual(first, second)

    def test_monthly_notice_end_date(self):
        membership = self._make_member(self._make_company("Mensuel SRL", vat="BE0403170701"))
        membership.action_give_notice("2026-03-12", "member")
        self.assertRecordValues(membership, [{"state": "notice", "notice_given_by": "member"}])
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
            self._make_membership(
                self._make_company("Vieux SRL", vat="BE0403170701"), self.roi_2021, commitment="annual"
            )

    def test_cron_terminates_after_notice_period(self):
        membership = self._make_member(self._make_company("Fin SRL", vat="BE0403170701"))
        membership.action_give_notice("2026-03-12")
        self.env["coop.membership"]._cron_terminate_after_notice()
        self.assertEqual(membership.state, "terminated")
        self.assertEqual(str(membership.date_terminated), "2026-04-12")
        self.assertEqual(str(membership.non_solicitation_end), "2027-04-12")
        self.assertEqual(membership.b_shares, 0)

    def test_fault_termination_indemnity_minimum(self):
        membership = self._make_member(self._make_company("Faute SRL", vat="BE0403170701"))
        with self.assertRaisesRegex(UserError, "Describe"):
            membership.action_terminate("2026-05-10", "fault", "member", "")
        self.assertEqual(membership.state, "active")
        membership.action_terminate("2026-05-10", "fault", "member", "Art. 8.3.3: instructed employees directly")
        self.assertRecordValues(
            membership,
            [
                {
                    "state": "terminated",
                    "termination_type": "fault",
                    "fault_party": "member",
                    "fault_indemnity_amount": 1000.0,
                }
            ],
        )
        self.assertEqual(str(membership.non_solicitation_end), "2027-05-10")

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
        with Form(self.env["coop.membership"]) as form:
            form.partner_id = partner
            form.regulation_id = self.roi_2023
            form.commitment = "annual"
        membership = form.record
        self.assertEqual(membership.acceptance, "auto")
        membership.action_send_contract()
        action = membership.action_open_sign_wizard()
        with Form(self.env[action["res_model"]].with_context(action["context"])) as wizard:
            wizard.signatory_name = "Claire Peeters"
            wizard.signatory_capacity = "Gérante"
            wizard.has_power = True
        wizard.record.action_confirm()
        self.assertEqual(membership.state, "signed")
        membership.action_register_button()
        membership.action_activate()
        membership.date_start = "2026-01-01"
        action = membership.action_open_notice_wizard()
        with Form(self.env[action["res_model"]].with_context(action["context"])) as wizard:
            wizard.date_notice = "2026-09-30"
            self.assertEqual(str(wizard.date_end), "2026-12-31")
        wizard.record.action_confirm()
        self.assertEqual(str(membership.date_end), "2026-12-31")
