from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.smtp_catcher import SmtpCatcherMixin

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestFinanceNotices(SmtpCatcherMixin, GuaranteeCommon):
    """SPEC 7.3: debits, guarantee and disputes go to the agents with the finance right
    only, through Odoo's mail queue (a local SMTP catcher); the 10 days to set up a new
    mandate run from the delivery of the notice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()
        cls.partner = cls._make_company("Retard SRL", vat="BE0477472701")
        Partner = cls.env["res.partner"]
        cls.finance = Partner._coop_create_agent(
            cls.partner, "Fiona Finance", "fiona@retard.example.com", finance=True, projects=False
        ).partner_id
        cls.projects = Partner._coop_create_agent(
            cls.partner, "Paul Projects", "paul@retard.example.com", finance=False, projects=True
        ).partner_id
        cls._make_mandate(cls.partner)
        cls.member = cls._make_member(cls.partner, credit_score=80.0)

    def setUp(self):
        super().setUp()
        self._send_mail_queue()
        self.smtp.messages.clear()

    def _notices(self, kind):
        return self.member.notice_ids.filtered(lambda n: n.kind == kind)

    def test_repeated_rejections_notice_to_finance_10_days_from_delivery(self):
        invoice = self._post_invoice(self.partner, 500.0, date="2026-02-01", due="2026-03-03")
        with freeze_time("2026-02-12"):
            self.env["coop.debit.rejection"].create({"invoice_id": invoice.id, "reason": "AM04"})
        with freeze_time("2026-02-20"):
            self.env["coop.debit.rejection"].create({"invoice_id": invoice.id, "reason": "AM04"})
        self.assertEqual(len(self._fee_invoices(invoice, "rejection")), 2)
        rejection = self.env["coop.debit.rejection"].search(
            [("membership_id", "=", self.member.id), ("mandate_notice_date", "!=", False)]
        )
        self.assertEqual(str(rejection.mandate_notice_date), "2026-02-20")
        self.assertFalse(rejection.mandate_notice_deadline, "not delivered yet")
        notice = self._notices("mandate_notice")
        self.assertRecordValues(notice, [{"state": "outgoing", "right": "finance", "recipient_ids": self.finance.ids}])
        # each rejection is a finance message too, to the finance agent only
        self.assertEqual(self._notices("finance").recipient_ids, self.finance)
        self.assertEqual(len(self._notices("finance")), 2)

        with freeze_time("2026-02-23 08:00:00"):
            self._send_mail_queue()
        self.assertEqual(self.smtp.recipients("@retard.example.com"), ["fiona@retard.example.com"] * 3)
        self.assertRecordValues(notice, [{"state": "delivered"}])
        self.assertEqual(str(rejection.mandate_notice_deadline), "2026-03-05")
        with freeze_time("2026-03-05"):
            self.env["coop.guarantee.followup"]._cron_coop_guarantee_followup()
        self.assertFalse(self.member.needs_followup)
        with freeze_time("2026-03-06"):
            self.env["coop.guarantee.followup"]._cron_coop_guarantee_followup()
        self.assertTrue(self.member.needs_followup)

    def test_rejection_notice_without_finance_agent_is_not_sent(self):
        self.finance.coop_right_finance = False
        invoice = self._post_invoice(self.partner, 500.0, date="2026-02-01", due="2026-03-03")
        with freeze_time("2026-02-12"):
            self.env["coop.debit.rejection"].create({"invoice_id": invoice.id, "reason": "AM04"})
        notice = self._notices("finance")
        self.assertRecordValues(notice, [{"state": "no_recipient", "message_id": False}])
        self.assertTrue(self.member.activity_ids.filtered(lambda a: a.summary.startswith("Notice not sent")))
        self._send_mail_queue()
        self.assertEqual(self.smtp.recipients("@retard.example.com"), [])

    def test_dispute_answer_to_finance_agents(self):
        invoice = self._post_invoice(self.partner, 1000.0, date="2026-02-01", due="2026-02-15")
        with freeze_time("2026-02-05"):
            dispute = self.env["coop.invoice.dispute"].create(
                {"invoice_id": invoice.id, "amount": 400.0, "subject": "Hours not ordered"}
            )
            dispute.action_reject("The hours were ordered on 2026-01-20 by e-mail.")
            self._send_mail_queue()
        notice = self._notices("finance")
        self.assertRecordValues(notice, [{"state": "delivered", "recipient_ids": self.finance.ids}])
        self.assertEqual(self.smtp.recipients("@retard.example.com"), ["fiona@retard.example.com"])
