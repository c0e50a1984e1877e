from datetime import date

from freezegun import freeze_time

from odoo.fields import Domain
from odoo.tests import tagged

from odoo.addons.coop_24pm_membership.tests.smtp_catcher import SmtpCatcherMixin

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestContributionStates(CoopPlansCommon):
    """SPEC 7.4, column "contribution invoices": the contract runs while suspended, and in
    notice until the end date; the contract invoicing leaves out applications."""

    def test_suspended_member_still_pays_its_contribution(self):
        member = self._make_plan_member("Suspendu Plan SRL", self.basic_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        with freeze_time("2026-04-10"):
            member.action_suspend(reason="Outdated data")
        self._run_contract_cron("2026-05-01")
        self.assertEqual(
            self._invoices(member, "contribution").sorted("invoice_date").mapped("invoice_date"),
            [date(2026, 4, 1), date(2026, 5, 1)],
        )

    def test_notice_stops_the_contribution_at_the_end_date(self):
        member = self._make_plan_member("Preavis Plan SRL", self.basic_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        member.action_give_notice("2026-04-15")
        end = member.date_end
        plan_lines = member.contract_id.contract_line_ids.filtered(lambda line: line.coop_kind == "plan")
        self.assertEqual(set(plan_lines.mapped("date_end")), {end})
        for month in range(5, 9):
            self._run_contract_cron(f"2026-{month:02d}-01")
        dates = self._invoices(member, "contribution").mapped("invoice_date")
        self.assertTrue(dates)
        self.assertFalse([day for day in dates if day > end], "no contribution after the end date")

    def test_contract_invoicing_domain_leaves_out_applications(self):
        member = self._make_plan_member("Domaine Plan SRL", self.basic_2023, "2026-04-01")
        Contract = self.env["contract.contract"]
        domain = Domain(Contract._get_contracts_to_invoice_domain("2026-12-31"))
        self.assertIn(member.contract_id, Contract.search(domain & Domain("id", "=", member.contract_id.id)))
        # issue 15: an application has no membership, hence no contract to invoice
        applicant = self._make_application(
            self._make_company("Candidat Plan SRL", vat="BE0412123405"), self.roi_2023, plan_id=self.basic_2023.id
        )
        applicant.action_send_contract()
        self.assertFalse(Contract.search([("partner_id", "=", applicant.partner_id.id)]))


@tagged("post_install", "-at_install")
class TestContributionAfter24pmNotice(SmtpCatcherMixin, CoopPlansCommon):
    """24PM's notice of termination fixes the end date when it reaches the member (SPEC 7.3):
    the contribution stops there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_smtp_catcher()

    def test_24pm_notice_stops_the_contribution_at_the_end_from_delivery(self):
        member = self._make_plan_member("Preavis Coop SRL", self.basic_2023, "2026-04-01")
        self.env["res.partner"]._coop_create_agent(
            member.partner_id, "Nora Notice", "nora@preavis.example.com", finance=True, projects=True
        )
        self._run_contract_cron("2026-04-01")
        with freeze_time("2026-04-15 09:00:00"):
            member.action_give_notice("2026-04-15", given_by="coop")
        plan_lines = member.contract_id.contract_line_ids.filtered(lambda line: line.coop_kind == "plan")
        self.assertFalse(member.date_end, "no end date before the notice reaches the member")
        self.assertEqual(plan_lines.mapped("date_end"), [False])
        with freeze_time("2026-04-17 10:00:00"):
            self._send_mail_queue()
        self.assertEqual(member.date_end, date(2026, 5, 17))
        self.assertEqual(plan_lines.mapped("date_end"), [date(2026, 5, 17)])
