from freezegun import freeze_time

from odoo.tests import tagged

from .common import CoopCommon
from .smtp_catcher import SmtpCatcherMixin


@tagged("post_install", "-at_install")
class TestNoticeDelivery(SmtpCatcherMixin, CoopCommon):
    """SPEC 7.3: notices reach the agents by right through Odoo's mail queue and a real
    SMTP exchange (a local catcher); the deadlines they start run from their delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()
        cls.pm = cls.staff
        # joined online: the company has no e-mail address of its own
        cls.company = cls._make_company("Sans Adresse SRL", vat="BE0477472701")
        Partner = cls.env["res.partner"]
        cls.finance = Partner._coop_create_agent(
            cls.company, "Fiona Finance", "fiona@member.example.com", finance=True, projects=False
        ).partner_id
        cls.projects = Partner._coop_create_agent(
            cls.company, "Paul Projects", "paul@member.example.com", finance=False, projects=True
        ).partner_id
        cls.membership = cls._make_member(cls.company, pm_id=cls.pm.id)

    def setUp(self):
        super().setUp()
        self._send_mail_queue()  # the users' invitations and staff notifications of the set-up
        self.smtp.messages.clear()

    def _member_mails(self, notice):
        """The ``mail.mail`` of a notice that go to the member (staff followers get a copy)."""
        mails = self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])
        return mails.filtered(lambda m: m.recipient_ids.commercial_partner_id == notice.partner_id)

    def _notices(self, kind):
        return self.membership.notice_ids.filtered(lambda n: n.kind == kind)

    def _pm_activities(self, membership):
        return membership.activity_ids.filtered(lambda a: a.user_id == self.pm and a.summary.startswith("Notice not"))

    # ------------------------------------------------------------------
    # recipients by right
    # ------------------------------------------------------------------
    def test_recipients_by_right(self):
        Partner = self.env["res.partner"]
        self.assertEqual(self.company._coop_recipients("finance"), self.finance)
        self.assertEqual(self.company._coop_recipients("projects"), self.projects)
        self.assertEqual(self.company._coop_recipients(), self.finance | self.projects)
        # the company's own address as well, when it has one
        self.company.email = "info@member.example.com"
        self.assertEqual(self.company._coop_recipients("projects"), self.projects | self.company)
        self.assertEqual(Partner.browse()._coop_recipients(), Partner.browse())

    def test_finance_agent_is_an_invoice_contact(self):
        self.assertEqual(self.finance.type, "invoice")
        self.assertEqual(self.projects.type, "contact")
        self.assertEqual(self.company.address_get(["invoice"])["invoice"], self.finance.id)
        self.finance.coop_right_finance = False
        self.assertEqual(self.finance.type, "contact")
        self.assertEqual(self.company._coop_recipients("finance"), self.env["res.partner"])
        self.projects.coop_right_finance = True
        self.assertEqual(self.projects.type, "invoice")
        self.assertEqual(self.company._coop_recipients("finance"), self.projects)

    # ------------------------------------------------------------------
    # the application's e-mails (issue 15): notices too
    # ------------------------------------------------------------------
    def test_application_contract_is_a_tracked_notice_shown_on_the_membership(self):
        company = self._make_company("Candidat Suivi SRL", vat="BE0403170701")
        agent = self.env["res.partner"]._coop_create_agent(company, "Anna Agent", "anna@applicant.example.com")
        application = self.env["coop.membership.application"].create({"partner_id": company.id})
        with freeze_time("2026-06-01 09:00:00"):
            application.action_send_contract()
        notice = application.notice_ids
        self.assertRecordValues(
            notice,
            [
                {
                    "kind": "contract",
                    "state": "outgoing",
                    "recipient_ids": agent.partner_id.ids,
                    "partner_id": company.id,
                    "membership_id": False,
                }
            ],
        )
        with freeze_time("2026-06-01 09:05:00"):
            self._send_mail_queue()
        self.assertEqual(self.smtp.recipients("@applicant.example.com"), ["anna@applicant.example.com"])
        self.assertRecordValues(notice, [{"state": "delivered"}])
        self.assertEqual(str(notice.date_delivered), "2026-06-01 09:05:00")
        application.action_sign("2026-06-02", "Anna Agent", "Managing director", True)
        application.action_conclude("2026-06-03")
        membership = application.membership_id
        self.assertEqual(membership.notice_ids, notice, "the membership shows the notices of its journey")
        self.assertEqual(membership.notice_undelivered_count, 0)

    def test_application_notice_without_recipient_warns_the_account_manager(self):
        company = self._make_company("Candidat Muet SRL", vat="BE0403170701")
        application = self.env["coop.membership.application"].create({"partner_id": company.id, "am_id": self.pm.id})
        application.action_send_contract()
        self.assertRecordValues(application.notice_ids, [{"kind": "contract", "state": "no_recipient"}])
        self.assertEqual(application.notice_undelivered_count, 1)
        self.assertEqual(
            application.activity_ids.filtered(lambda a: a.user_id == self.pm).mapped("summary"),
            ["Notice not sent: nobody to receive it"],
        )
        self._send_mail_queue()
        self.assertFalse(self.smtp.recipients("@applicant.example.com"))

    # ------------------------------------------------------------------
    # the formal notice (art. 4.3, 48 hours)
    # ------------------------------------------------------------------
    def test_formal_notice_sent_to_all_agents_and_48h_run_from_delivery(self):
        with freeze_time("2026-06-01 09:00:00"):
            self.membership.action_formal_notice("The registered office moved")
        notice = self._notices("formal_notice")
        self.assertRecordValues(notice, [{"state": "outgoing", "recipient_ids": (self.finance | self.projects).ids}])
        mails = self._member_mails(notice)
        self.assertEqual(mails.recipient_ids, self.finance | self.projects)
        self.assertEqual(mails.mapped("state"), ["outgoing"])
        self.assertFalse(self.membership.suspension_id.date_formal_notice, "not delivered yet: the 48 hours do not run")
        with freeze_time("2026-06-03 10:00:00"):
            self.env["coop.membership.suspension"]._cron_suspend_after_formal_notice()
        self.assertEqual(self.membership.state, "active")

        with freeze_time("2026-06-03 10:00:00"):
            self._send_mail_queue()
        self.assertEqual(
            self.smtp.recipients("@member.example.com"), ["fiona@member.example.com", "paul@member.example.com"]
        )
        self.assertEqual(mails.mapped("state"), ["sent"])
        self.assertRecordValues(notice, [{"state": "delivered"}])
        self.assertEqual(str(notice.date_delivered), "2026-06-03 10:00:00")
        self.assertEqual(str(self.membership.suspension_id.date_formal_notice), "2026-06-03 10:00:00")
        with freeze_time("2026-06-05 09:59:00"):
            self.env["coop.membership.suspension"]._cron_suspend_after_formal_notice()
        self.assertEqual(self.membership.state, "active", "47 h 59 after the delivery")
        with freeze_time("2026-06-05 10:00:00"):
            self.env["coop.membership.suspension"]._cron_suspend_after_formal_notice()
        self.assertEqual(self.membership.state, "suspended")
        # the suspension itself is a notice to all the agents
        suspension = self._notices("suspension")
        self.assertEqual(suspension.recipient_ids, self.finance | self.projects)
        self.membership.action_resume()
        self.assertFalse(self.membership.suspension_id.date_formal_notice)

    def test_formal_notice_without_recipient_is_not_sent(self):
        company = self._make_company("Personne SRL", vat="BE0403170701")
        membership = self._make_member(company, pm_id=self.pm.id)
        with freeze_time("2026-06-01 09:00:00"):
            membership.action_formal_notice("The VAT number changed")
        notice = membership.notice_ids.filtered(lambda n: n.kind == "formal_notice")
        self.assertRecordValues(notice, [{"state": "no_recipient", "message_id": False, "date_delivered": False}])
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids.commercial_partner_id", "=", company.id)]))
        # issue 15: the e-contract that reached nobody was the application's notice (its own
        # activity); concluded, the membership shows it with its own formal notice
        self.assertEqual(len(self._pm_activities(membership)), 1, "the formal notice")
        self.assertEqual(membership.notice_undelivered_count, 2)
        application = self.env["coop.membership.application"].search([("membership_id", "=", membership.id)])
        self.assertRecordValues(
            application.notice_ids, [{"kind": "contract", "state": "no_recipient", "membership_id": membership.id}]
        )
        self.assertEqual(application.notice_undelivered_count, 1)
        self.assertEqual(
            application.activity_ids.filtered(lambda a: a.summary == "Notice not sent: nobody to receive it").mapped(
                "summary"
            ),
            ["Notice not sent: nobody to receive it"],
        )
        with freeze_time("2026-06-10 09:00:00"):
            self._send_mail_queue()
            self.env["coop.membership.suspension"]._cron_suspend_after_formal_notice()
        self.assertFalse(membership.suspension_id.date_formal_notice)
        self.assertEqual(membership.state, "active", "a notice that reached nobody starts no deadline")
        # only the PM hears of it (its activity), nothing leaves for the member
        self.assertEqual(self.smtp.recipients(), [self.pm.email])

    def test_activity_of_a_scheduled_job_in_the_pms_language(self):
        """A scheduled job runs as OdooBot (English): the PM reads its activity in French."""
        self.env["res.lang"]._activate_lang("fr_BE")
        self.pm.lang = "fr_BE"
        company = self._make_company("Muet SRL", vat="BE0403170701")
        membership = self._make_member(company, pm_id=self.pm.id)
        odoobot = membership.with_user(self.env.ref("base.user_root")).with_context(lang="en_US")
        odoobot.sudo()._coop_send_notice("formal_notice", subject="Formal notice", body="<p>Formal notice</p>")
        # the e-contract that reached nobody is the application's (issue 15.4): one here
        activity = membership.activity_ids.filtered(lambda a: a.user_id == self.pm)
        self.assertEqual(activity.summary, "Notification non envoyée : aucun destinataire")
        self.assertIn("n'a aucun mandataire", activity.note)

    def test_bounced_formal_notice_warns_the_pm_and_stops_the_deadline(self):
        self.finance.coop_right_finance = True
        self.projects.user_ids.active = False  # no longer an agent: only Fiona left
        with freeze_time("2026-06-01 09:00:00"):
            self.membership.action_formal_notice("The registered office moved")
            self._send_mail_queue()
        notice = self._notices("formal_notice")
        self.assertRecordValues(notice, [{"state": "delivered", "recipient_ids": self.finance.ids}])
        self.assertEqual(str(self.membership.suspension_id.date_formal_notice), "2026-06-01 09:00:00")
        self.assertFalse(self._pm_activities(self.membership))

        with freeze_time("2026-06-01 09:05:00"):
            sent = next(m for m in self.smtp.messages if "fiona@member.example.com" in m["to"])
            self._bounce(sent, "fiona@member.example.com")
        self.assertEqual(notice.mail_tracking_ids.mapped("state"), ["soft-bounced"])
        self.assertRecordValues(notice, [{"state": "failed", "date_delivered": False}])
        self.assertFalse(self.membership.suspension_id.date_formal_notice, "bounced: the 48 hours do not run")
        self.assertEqual(len(self._pm_activities(self.membership)), 1)
        with freeze_time("2026-06-04 09:00:00"):
            self.env["coop.membership.suspension"]._cron_suspend_after_formal_notice()
        self.assertEqual(self.membership.state, "active")

    def test_refused_recipient_is_not_delivered(self):
        """The catcher refuses the address at RCPT time: the mail fails, the PM is warned."""
        self.projects.user_ids.active = False
        self.smtp.refused.add("fiona@member.example.com")
        try:
            with freeze_time("2026-06-01 09:00:00"):
                self.membership.action_formal_notice("The registered office moved")
                self._send_mail_queue()
        finally:
            self.smtp.refused.clear()
        notice = self._notices("formal_notice")
        self.assertEqual(self._member_mails(notice).mapped("state"), ["exception"])
        self.assertRecordValues(notice, [{"state": "failed"}])
        self.assertFalse(self.membership.suspension_id.date_formal_notice)
        self.assertEqual(len(self._pm_activities(self.membership)), 1)

    # ------------------------------------------------------------------
    # regulation change (art. 11.1, 10 days)
    # ------------------------------------------------------------------
    def test_regulation_change_10_days_from_delivery(self):
        membership = self._make_member(
            self._make_company("Nouveau SRL", vat="BE0403170701"), regulation=self.roi_2021, pm_id=self.pm.id
        )
        agent = (
            self.env["res.partner"]
            ._coop_create_agent(
                membership.partner_id, "Anne Agent", "anne@nouveau.example.com", finance=False, projects=True
            )
            .partner_id
        )
        with freeze_time("2026-03-01"):
            change = membership._notify_regulation_change(self.roi_2023)
        self.assertFalse(change.date_deadline)
        with freeze_time("2026-03-04 08:00:00"):
            self._send_mail_queue()
        self.assertEqual(self.smtp.recipients("@nouveau.example.com"), ["anne@nouveau.example.com"])
        notice = membership.notice_ids.filtered(lambda n: n.kind == "regulation_change")
        self.assertRecordValues(notice, [{"state": "delivered", "recipient_ids": agent.ids}])
        self.assertEqual(str(change.date_notified), "2026-03-04")
        self.assertEqual(str(change.date_deadline), "2026-03-14")
        with freeze_time("2026-03-14"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2021, "still within the 10 days")
        with freeze_time("2026-03-15"):
            self.env["coop.regulation.change"]._cron_apply_expired()
        self.assertEqual(membership.regulation_id, self.roi_2023)

    def test_notice_of_termination_by_24pm_runs_from_delivery(self):
        with freeze_time("2026-06-10"):
            self.membership.action_give_notice("2026-06-10", given_by="coop")
        self.assertFalse(self.membership.date_end)
        self.assertEqual(self._notices("notice").recipient_ids, self.finance | self.projects)
        with freeze_time("2026-06-12 10:00:00"):
            self._send_mail_queue()
        self.assertEqual(str(self.membership.termination_id.date_notice), "2026-06-12")
        self.assertEqual(str(self.membership.date_end), "2026-07-12")

    # ------------------------------------------------------------------
    # the register (issue 15: a stale count of B shares)
    # ------------------------------------------------------------------
    def test_b_shares_not_stale_after_termination(self):
        self.assertEqual(self.membership.b_shares, 1)
        self.membership.action_give_notice("2026-03-12")
        self.membership.action_terminate("2026-04-12")
        self.assertEqual(self.membership.b_shares, 0)
        # the termination is a notice to all the agents
        self.assertEqual(self._notices("termination").recipient_ids, self.finance | self.projects)

    def test_notice_of_an_agents_own_step_reaches_that_agent(self):
        """A notice that an agent's own step on the portal sends (its application received,
        its contract signed, the notice it gave) is e-mailed to that agent too: Odoo leaves
        the author of a message out of its e-mails, a notice may not (found by the replayed
        year: the agents who joined online got none of their journey's e-mails)."""
        fiona = self.finance.user_ids
        self.assertTrue(fiona.share, "a portal agent")
        # what the portal routes run: the user's own membership, in sudo after the access check
        notice = (
            self.membership.with_user(fiona)
            .sudo()
            ._coop_send_notice("finance", right="finance", subject="Votre demande", body="Nous l'avons reçue.")
        )
        self.assertEqual(notice.message_id.author_id, self.finance, "the agent acted")
        self.assertEqual(self._member_mails(notice).recipient_ids, self.finance)
        self._send_mail_queue()
        self.assertEqual(self.smtp.recipients("@member.example.com"), ["fiona@member.example.com"])
        self.assertRecordValues(notice, [{"state": "delivered"}])

    def test_templates_address_the_agents_by_right(self):
        """Issue 21: the templates' ``partner_to`` asks the membership for its agents by right
        (``coop_partner_to``); a template still reading the former fields is readdressed
        when the addon is updated."""
        template = self.env.ref("coop_24pm_membership.mail_template_join_invoices")
        # as a database installed before: the former field's name (SQL: Odoo checks the expression)
        self.env.cr.execute(
            "UPDATE mail_template SET partner_to = '{{ object.coop_partner_to_finance }}' WHERE id = %s", [template.id]
        )
        template.invalidate_recordset(["partner_to"])
        self.env["mail.template"]._coop_sync_recipients()
        self.assertEqual(template.partner_to, "{{ object.coop_partner_to('finance') }}")
        rendered = template._render_field("partner_to", self.membership.ids)[self.membership.id]
        self.assertEqual(rendered, str(self.finance.id))
        template = self.env.ref("coop_24pm_membership.mail_template_membership_contract")
        rendered = template._render_field("partner_to", self.membership.ids)[self.membership.id]
        self.assertEqual(sorted(rendered.split(",")), sorted([str(self.finance.id), str(self.projects.id)]))
