from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.coop_membership import TRANSITIONS
from ..models.coop_membership_state import PORTAL_ACTIONS
from .common import CoopCommon
from .smtp_catcher import SmtpCatcherMixin


@tagged("post_install", "-at_install")
class TestStateRules(CoopCommon):
    """SPEC 7.4: each row of the table (a state), each column (what it allows)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-10"):
            # SPEC 7.4 row "application / contract sent / signed": an application (issue 15)
            cls.applicant = cls._make_application(cls._make_company("Candidat SRL", vat="BE0477472701"))
            cls.applicant.action_send_contract()
            cls.registered = cls._make_member(cls._make_company("Inscrit SRL", vat="BE0440127503"), activate=False)
            cls.active = cls._make_member(cls._make_company("Actif SRL", vat="BE0403170701"))
            cls.suspended = cls._make_member(cls._make_company("Suspendu SRL", vat="BE0202239951"))
            cls.suspended.action_suspend(reason="Outdated address (art. 4.3)")
            cls.notice = cls._make_member(cls._make_company("Preavis SRL", vat="BE0417497106"))
            cls.notice.action_give_notice("2026-03-10")
            cls.terminated = cls._make_member(cls._make_company("Termine SRL", vat="BE0431321782"))
            cls.terminated.action_give_notice("2026-03-10")
            cls.terminated.action_terminate("2026-03-20")

    # ------------------------------------------------------------------
    # the state machine: actions only, from the right state
    # ------------------------------------------------------------------
    def test_state_change_from_wrong_state_names_the_state_it_needs(self):
        with self.assertRaisesRegex(UserError, "in state 'Registered': this action needs the state 'Suspended'"):
            self.registered.action_resume()
        with self.assertRaisesRegex(UserError, "in state 'Terminated': this action needs the state 'Suspended'"):
            self.terminated.action_resume()
        with self.assertRaisesRegex(UserError, "in state 'Contract sent': this action needs the state 'Signed'"):
            self.applicant.action_conclude()
        self.assertEqual(self.registered.state, "registered")
        self.assertEqual(self.applicant.state, "sent")
        self.assertEqual(self.terminated.state, "terminated")
        self.assertEqual(TRANSITIONS["action_suspend"], ("registered", "active"))

    def test_suspension_and_resumption_post_and_notify(self):
        agent = self.env["res.partner"]._coop_create_agent(self.active.partner_id, "Agent Actif", "actif@example.com")
        self.active.action_suspend(reason="Contested regulation (art. 11.1)")
        self.assertEqual(self.active.state, "suspended")
        suspension = self.active.suspension_id
        self.assertRecordValues(
            suspension,
            [{"state_before_suspension": "active", "suspension_reason": "Contested regulation (art. 11.1)"}],
        )
        # a note in the chatter, and the member told by a tracked notice (SPEC 7.3)
        note = self.active.message_ids.filtered(lambda m: "Requests and new work stop" in (m.body or ""))
        self.assertEqual(len(note), 1)
        notice = self.active.notice_ids.filtered(lambda n: n.kind == "suspension")
        self.assertEqual(notice.recipient_ids, agent.partner_id)
        self.active.action_resume()
        self.assertEqual(self.active.state, "active")
        self.assertFalse(self.active.suspension_id, "the episode is over")
        self.assertEqual(suspension.state, "lifted")
        self.assertEqual(len(self.active.message_ids.filtered(lambda m: "suspension is lifted" in (m.body or ""))), 1)

    def test_registered_member_suspended_returns_to_registered(self):
        member = self._make_member(self._make_company("Inscrit SRL", vat="BE0412123405"), activate=False)
        member.action_suspend(reason="Wrong VAT number")
        member.action_resume()
        self.assertEqual(member.state, "registered")

    def test_cron_terminates_through_the_action(self):
        with freeze_time(self.notice.date_end + timedelta(days=1)):
            self.assertEqual(self.env["coop.membership.termination"]._cron_terminate_after_notice(), 1)
        self.assertEqual(self.notice.state, "terminated")
        self.assertRecordValues(
            self.notice.termination_id, [{"date_terminated": self.notice.date_end, "termination_type": "notice"}]
        )
        self.assertEqual(len(self.notice.message_ids.filtered(lambda m: "is terminated on" in (m.body or ""))), 1)

    # ------------------------------------------------------------------
    # column "portal"
    # ------------------------------------------------------------------
    def _portal(self, membership):
        return {action for action in PORTAL_ACTIONS["active"] if membership._coop_portal_allows(action)}

    def test_application_row_is_the_application(self):
        """SPEC 7.4 row "application / contract sent / signed" (issue 15): the company has an
        application and no membership, so no member page, request, time, invoice or debit:
        its agents follow the online journey only."""
        partner = self.applicant.partner_id
        self.assertEqual(partner.coop_status, "applicant")
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", partner.id)]))
        self.assertFalse(self.env["coop.share.line"].search([("partner_id", "=", partner.id)]))

    def test_portal_active_all(self):
        self.assertEqual(self._portal(self.active), set(PORTAL_ACTIONS["active"]))

    def test_portal_suspended_read_pay_dispute_correct_notice(self):
        self.assertEqual(self._portal(self.suspended), {"read", "pay", "dispute", "correct_data", "give_notice"})
        with self.assertRaisesRegex(UserError, "Suspendu SRL is Suspended.*read-only: Outdated address"):
            self.suspended._coop_check_portal_action("request")

    def test_portal_notice_all(self):
        self.assertEqual(self._portal(self.notice), set(PORTAL_ACTIONS["active"]))

    def test_portal_terminated_read_pay_dispute_refund_export(self):
        self.assertEqual(self._portal(self.terminated), {"read", "pay", "dispute", "guarantee_refund", "export"})

    # ------------------------------------------------------------------
    # column "requests and new work"
    # ------------------------------------------------------------------
    def test_requests_active_allowed(self):
        self.assertTrue(self.active._coop_may_request())

    def test_requests_suspended_refused_with_reason(self):
        with self.assertRaisesRegex(UserError, "Suspendu SRL is suspended since .*Outdated address"):
            self.suspended._coop_check_may_request()

    def test_requests_notice_until_end_date(self):
        end = self.notice.date_end
        self.assertTrue(self.notice._coop_may_request(end))
        with self.assertRaisesRegex(UserError, "ends on"):
            self.notice._coop_check_may_request(end + timedelta(days=1))

    def test_requests_terminated_refused(self):
        with self.assertRaisesRegex(UserError, "is Terminated"):
            self.terminated._coop_check_may_request()

    # ------------------------------------------------------------------
    # column "timesheets on its projects"
    # ------------------------------------------------------------------
    def test_work_per_state(self):
        self.assertFalse(self.registered._coop_work_refusal("2026-03-15"))
        self.assertFalse(self.active._coop_work_refusal("2026-03-15"))
        self.assertFalse(self.suspended._coop_work_refusal("2026-03-09"))
        self.assertIn("unless a manager records why", self.suspended._coop_work_refusal("2026-03-10"))
        self.assertFalse(self.notice._coop_work_refusal(self.notice.date_end))
        self.assertIn(
            "no time may be logged after it", self.notice._coop_work_refusal(self.notice.date_end + timedelta(days=1))
        )
        self.assertIn("is Terminated", self.terminated._coop_work_refusal("2026-04-15"))

    # ------------------------------------------------------------------
    # columns "contribution invoices" and "service invoices"
    # ------------------------------------------------------------------
    def test_invoicing_active_both(self):
        self.assertTrue(self.active._coop_is_billable("contribution", "2026-03-15"))
        self.assertTrue(self.active._coop_is_billable("service", "2026-03-15"))

    def test_invoicing_suspended_contribution_runs_services_before_suspension(self):
        self.assertTrue(self.suspended._coop_is_billable("contribution", "2026-04-15"))
        self.assertTrue(self.suspended._coop_is_billable("service", "2026-03-09"))
        self.assertFalse(self.suspended._coop_is_billable("service", "2026-03-10"))

    def test_invoicing_notice_until_end_date(self):
        end = self.notice.date_end
        after = end + timedelta(days=1)
        self.assertTrue(self.notice._coop_is_billable("contribution", end))
        self.assertFalse(self.notice._coop_is_billable("contribution", after))
        self.assertTrue(self.notice._coop_is_billable("service", end))

    def test_invoicing_terminated_none_after_end(self):
        self.assertEqual(self.terminated.date_end, date(2026, 3, 20))
        self.assertTrue(self.terminated._coop_is_billable("service", "2026-03-20"))
        self.assertFalse(self.terminated._coop_is_billable("contribution", "2026-03-21"))
        self.assertFalse(self.terminated._coop_is_billable("service", "2026-03-21"))

    # ------------------------------------------------------------------
    # column "direct debits"
    # ------------------------------------------------------------------
    def test_debits_every_state_everything(self):
        for membership in (self.registered, self.active, self.suspended, self.notice, self.terminated):
            self.assertTrue(membership._coop_may_debit("invoice"), membership.state)
            self.assertTrue(membership._coop_may_debit("guarantee"), membership.state)


@tagged("post_install", "-at_install")
class TestStateRulesJobs(SmtpCatcherMixin, CoopCommon):
    """The suspension job goes through the action, 48 hours after the formal notice reached
    the member (SPEC 7.3: the deadline runs from the delivery)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()

    def test_cron_suspends_through_the_action(self):
        company = self._make_company("Retard SRL", vat="BE0876543270")
        self.env["res.partner"]._coop_create_agent(
            company, "Rita Retard", "rita@retard.example.com", finance=True, projects=True
        )
        member = self._make_member(company, activate=False)
        with freeze_time("2026-04-01 08:00:00"):
            member.action_formal_notice(reason="The registered office moved")
            self._send_mail_queue()
        self.assertEqual(str(member.suspension_id.date_formal_notice), "2026-04-01 08:00:00")
        with freeze_time("2026-04-03 09:00:00"):
            self.assertEqual(self.env["coop.membership.suspension"]._cron_suspend_after_formal_notice(), 1)
        self.assertEqual(member.state, "suspended")
        self.assertRecordValues(
            member.suspension_id, [{"state_before_suspension": "registered", "date_suspended": date(2026, 4, 3)}]
        )
        self.assertEqual(len(member.message_ids.filtered(lambda m: "Requests and new work stop" in (m.body or ""))), 1)
        self.assertEqual(len(member.notice_ids.filtered(lambda n: n.kind == "suspension")), 1)
