from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CoopCommon

VIES_OK = {"valid": True, "name": "BRASSERIE EN LIGNE SRL", "address": "RUE HAUTE 1\n1000 BRUXELLES"}
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestJoinOnline(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Membership = cls.env["coop.membership"]
        cls.Application = cls.env["coop.membership.application"]

    def _portal_user(self, login):
        return new_test_user(self.env, login, groups="base.group_portal", password=f"{login}-pass")

    def _count_companies(self):
        return self.env["res.partner"].search_count([("is_company", "=", True)])

    def test_signup_creates_a_prospect(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self.env["res.users"].sudo().signup(
            {
                "login": "new@prospect.example",
                "name": "Nina New",
                "password": "new-pass-1234",
                "email": "new@prospect.example",
            }
        )
        user = self.env["res.users"].sudo().search([("login", "=", "new@prospect.example")])
        self.assertTrue(user.partner_id.is_coop_prospect)
        self.assertEqual(user.partner_id.coop_status, "prospect")

    def test_company_step_fills_vies_and_makes_the_user_its_agent(self):
        user = self._portal_user("founder")
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            company = self.Application._coop_join_company(user, vat="0477.472.701")
        self.assertRecordValues(
            company,
            [
                {
                    "name": "BRASSERIE EN LIGNE SRL",
                    "vat": "BE0477472701",
                    "street": "RUE HAUTE 1",
                    "city": "BRUXELLES",
                    "is_company": True,
                }
            ],
        )
        self.assertEqual(company.country_id.code, "BE")
        self.assertEqual(user.partner_id.parent_id, company)
        self.assertTrue(user.partner_id.coop_right_finance and user.partner_id.coop_right_agents)

    def test_company_step_refusals_create_nothing(self):
        existing = self._make_member(self._make_company("Déjà Membre SRL", vat="BE0403170701"))
        user = self._portal_user("refused")
        before = self._count_companies()
        cases = [
            ({"vat": "BE0477472702"}, "not a valid VAT"),
            ({"individual": True}, "individual"),
            ({"vat": "BE0403170701"}, "already a member"),
            ({"not_incorporated": True, "company_name": " "}, "name of the company"),
        ]
        for kwargs, message in cases:
            with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK), self.assertRaisesRegex(UserError, message):
                self.Application._coop_join_company(user, **kwargs)
        self.assertEqual(self._count_companies(), before)
        self.assertFalse(user.partner_id.parent_id)
        self.assertEqual(existing.state, "active")

    def test_vies_inactive_number_refused(self):
        user = self._portal_user("inactive")
        before = self._count_companies()
        with (
            patch("stdnum.eu.vat.check_vies", return_value={"valid": False, "name": "", "address": ""}),
            self.assertRaisesRegex(UserError, "not an active VAT number"),
        ):
            self.Application._coop_join_company(user, vat="BE0477472701")
        self.assertEqual(self._count_companies(), before)

    def test_belgian_company_joins_without_staff(self):
        user = self._portal_user("belgian")
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            company = self.Application._coop_join_company(user, vat="BE0477472701")
        application = self.Application._coop_join_apply(user)
        self.assertEqual(self.Application._coop_join_apply(user), application, "a second click creates nothing")
        self.assertRecordValues(application, [{"state": "sent", "origin": "online", "acceptance": "auto"}])
        self.assertEqual(company.coop_status, "applicant")
        self.assertFalse(self.Membership.search([("partner_id", "=", company.id)]), "no membership before conclusion")
        with self.assertRaisesRegex(UserError, "power to bind"):
            application._coop_join_sign(user, "Nina New", "Gérante", False, SIGNATURE)
        self.assertEqual(application.state, "sent")
        application._coop_join_sign(user, "Nina New", "Gérante", True, SIGNATURE)
        membership = application.membership_id
        self.assertEqual(application.state, "done")
        self.assertEqual(membership.state, "registered")
        self.assertEqual(membership.b_shares, 1)
        self.assertEqual(company.coop_status, "member")
        # issue 21: the signatory is the application's, which the membership points to
        self.assertRecordValues(
            membership.application_id,
            [{"signatory_name": "Nina New", "signatory_capacity": "Gérante", "signed_by_user_id": user.id}],
        )
        for record in (application, membership):
            signed = self.env["ir.attachment"].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id), ("mimetype", "=", "application/pdf")]
            )
            self.assertEqual(signed.mapped("name"), [f"Signed contract {application.name}.pdf"])

    def test_swiss_company_waits_for_staff(self):
        user = self._portal_user("swiss")
        company = self.Application._coop_join_company(
            user, not_incorporated=True, company_name="Montres Léman SA", country_code="CH"
        )
        application = self.Application._coop_join_apply(user)
        application._coop_join_sign(user, "Anne Favre", "Administratrice", True, SIGNATURE)
        self.assertRecordValues(
            application, [{"state": "signed", "acceptance": "pending", "attention": "waiting", "membership_id": False}]
        )
        self.assertFalse(self.Membership.search([("partner_id", "=", company.id)]))
        self.assertTrue(application.activity_ids, "the review lands in the staff's queue")
        self.assertEqual(company.coop_status, "applicant")

    def test_http_journey_and_other_users_url(self):
        user = self._portal_user("http_founder")
        other = self._portal_user("http_other")
        self.authenticate(user.login, "http_founder-pass")
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            response = self.url_open(
                "/my/join/company", data={"vat": "BE0477472701", "csrf_token": Request.csrf_token(self)}
            )
        self.assertEqual(response.status_code, 200)
        # the application form's fields belong to the plans addon when installed: apply as its route does
        self.Application._coop_join_apply(user)
        self.Application._coop_join_apply(user)
        applications = self.Application.search([("partner_id", "=", user.partner_id.parent_id.id)])
        self.assertEqual(len(applications), 1)
        page = self.url_open("/my/join")
        self.assertIn("o_coop_join_signatory", page.text)
        self.assertIn('href="/my/join/contract"', page.text)
        contract = self.url_open("/my/join/contract")
        self.assertEqual(contract.status_code, 200)
        self.assertIn(applications.name, contract.text)
        # another user has no application: the URL names none, so it cannot reach this one
        self.authenticate(other.login, "http_other-pass")
        self.assertEqual(self.url_open("/my/join/contract").status_code, 404)

    # ------------------------------------------------------------------
    # B share invoiced once accepted, e-mails once per step, nothing invoiced before acceptance
    # ------------------------------------------------------------------
    def _signed_belgian(self, login, vat="BE0477472701"):
        user = self._portal_user(login)
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            self.Application._coop_join_company(user, vat=vat, lang="en_US")  # an English contract
        application = self.Application._coop_join_apply(user)
        application._coop_join_sign(user, "Nina New", "Gérante", True, SIGNATURE)
        return user, application

    def test_b_share_invoiced_at_signature_with_structured_communication(self):
        user, application = self._signed_belgian("bshare")
        membership = application.membership_id
        invoice = application.join_share_move_id  # issue 21: the journey's record is the application
        self.assertRecordValues(
            invoice, [{"state": "posted", "move_type": "out_invoice", "partner_id": membership.partner_id.id}]
        )
        self.assertEqual(invoice.currency_id.compare_amounts(invoice.amount_total, 1.00), 0)
        self.assertRegex(invoice.payment_reference, r"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$")
        self.assertEqual(invoice.invoice_line_ids.account_id, self.capital_account)
        # the register entry reuses the invoice: one B share, one invoice
        self.assertEqual(membership.b_shares, 1)
        self.assertEqual(membership.share_line_ids.move_id, invoice)
        moves_before = self.env["account.move"].search_count([("partner_id", "=", membership.partner_id.id)])
        messages_before = len(application.message_ids), len(membership.message_ids)
        application._coop_join_invoice()  # a reload or a second click
        application._coop_join_conclude()
        application._coop_join_notify("signed")
        application._coop_join_notify("invoices")
        self.assertEqual(
            self.env["account.move"].search_count([("partner_id", "=", membership.partner_id.id)]), moves_before
        )
        self.assertEqual(
            (len(application.message_ids), len(membership.message_ids)),
            messages_before,
            "each step's e-mail is sent once",
        )
        # the steps before the conclusion and after it: the application holds the journey (issue 21)
        self.assertEqual(set(application.join_mail_keys.split(",")), {"applied", "signed", "invoices"})
        company_mails = user.partner_id.message_ids.filtered(
            lambda m: "registered on your account" in (m.subject or "")
        )
        self.assertEqual(len(company_mails), 1, "the company step's e-mail")
        self.assertIn("subscription of one share", application.join_invoice_ids.invoice_line_ids.mapped("name")[0])

    def _signed_swiss(self, login, name):
        user = self._portal_user(login)
        self.Application._coop_join_company(user, not_incorporated=True, company_name=name, country_code="CH")
        application = self.Application._coop_join_apply(user)
        application._coop_join_sign(user, "Anne Favre", "Administratrice", True, SIGNATURE)
        return user, application

    def _partner_moves(self, partner):
        return self.env["account.move"].search([("partner_id", "=", partner.id)])

    def test_swiss_application_waiting_for_staff_is_invoiced_nothing(self):
        """Issue 15: nothing is invoiced before the application is accepted."""
        _user, application = self._signed_swiss("swiss_waiting", "Horlogerie En Attente SA")
        self.assertRecordValues(application, [{"state": "signed", "acceptance": "pending", "membership_id": False}])
        self.assertFalse(self._partner_moves(application.partner_id), "no invoice before the staff's decision")
        application._coop_join_conclude()  # a reload or a second click concludes and invoices nothing either
        self.assertFalse(self._partner_moves(application.partner_id))
        self.assertFalse(application.membership_id)
        steps = {step["key"]: step["done"] for step in application._coop_join_steps()}
        self.assertEqual((steps["contract"], steps["acceptance"], steps["invoices"]), (True, False, False))

    def test_swiss_refusal_leaves_nothing_to_reverse(self):
        user, application = self._signed_swiss("swiss_refused", "Horlogerie Refusée SA")
        capital_before = self._capital_balance()
        application.refusal_reason = "Outside our area for now."
        application.action_refuse_application()
        self.assertRecordValues(application, [{"state": "refused", "acceptance": "refused", "membership_id": False}])
        self.assertFalse(self._partner_moves(application.partner_id), "no invoice, hence no credit note")
        self.assertFalse(self.Membership.search([("partner_id", "=", application.partner_id.id)]))
        self.assertEqual(self.env.company.currency_id.compare_amounts(self._capital_balance(), capital_before), 0)
        refusal = application.message_ids.filtered(lambda m: "cannot accept" in (m.body or ""))
        self.assertEqual(refusal.partner_ids, user.partner_id, "to the agent who applied (SPEC 7.3)")

    def test_swiss_application_accepted_by_staff_is_concluded_and_invoiced(self):
        _user, application = self._signed_swiss("swiss_ok", "Horlogerie Acceptée SA")
        capital_before = self._capital_balance()
        application.with_user(self.staff).action_accept_application()
        membership = application.membership_id
        self.assertRecordValues(application, [{"state": "done", "acceptance": "accepted"}])
        self.assertRecordValues(membership, [{"state": "registered", "application_id": application.id, "b_shares": 1}])
        invoice = application.join_share_move_id
        self.assertRecordValues(
            invoice, [{"state": "posted", "move_type": "out_invoice", "partner_id": membership.partner_id.id}]
        )
        self.assertEqual(invoice.currency_id.compare_amounts(invoice.amount_total, 1.00), 0)
        self.assertRegex(invoice.payment_reference, r"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$")
        self.assertEqual(membership.share_line_ids.move_id, invoice, "the register entry reuses the invoice")
        self.assertEqual(self._partner_moves(membership.partner_id), invoice)
        self.assertEqual(self.env.company.currency_id.compare_amounts(self._capital_balance(), capital_before + 1.0), 0)
        self.assertIn("invoices", application.join_mail_keys.split(","))

    def test_staff_see_the_step_of_each_application(self):
        user = self._portal_user("step_seen")
        self.Application._coop_join_company(user, not_incorporated=True, company_name="Étape Vue SRL")
        application = self.Application._coop_join_apply(user)
        # the first step not done (the plan's when coop_24pm_plans is installed, else the e-contract's)
        self.assertEqual(application.join_step, application._coop_join_current_step()["label"])
        self.assertNotEqual(application.join_step, "Completed")

    def test_abandoned_journey_reminded_once_after_7_days(self):
        user = self._portal_user("abandoned")
        self.Application._coop_join_company(user, not_incorporated=True, company_name="Abandon SRL")
        application = self.Application._coop_join_apply(user)
        self.assertEqual(self.Application._cron_join_reminder(), 0, "not before 7 days")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE coop_membership_application SET write_date = now() - interval '8 days' WHERE id = %s",
            [application.id],
        )
        self.env.invalidate_all()
        self.assertEqual(self.Application._cron_join_reminder(), 1)
        self.assertTrue(application.date_join_reminder)
        self.assertEqual(self.Application._cron_join_reminder(), 0, "reminded once")

    def test_http_signatory_without_the_power_statement_refused(self):
        user = self._portal_user("http_nopower")
        self.Application._coop_join_company(user, not_incorporated=True, company_name="Sans Pouvoir SRL")
        application = self.Application._coop_join_apply(user)
        self.authenticate(user.login, "http_nopower-pass")
        response = self.url_open(
            "/my/join/signatory", data={"capacity": "Stagiaire", "csrf_token": Request.csrf_token(self)}
        )
        self.assertNotIn("error=", response.url, "the refusal travels through the session")
        self.assertIn("o_coop_error", response.text)
        result = self.make_jsonrpc_request("/my/join/sign", {"name": "Sam Stagiaire", "signature": SIGNATURE})
        self.assertIn("error", result)
        self.assertEqual(application.state, "sent", "nothing signed")
        self.assertFalse(application.membership_id, "nothing concluded nor invoiced")
        # with the statement, the signature goes through; a second call signs nothing more
        self.url_open(
            "/my/join/signatory",
            data={"capacity": "Gérant", "has_power": "on", "csrf_token": Request.csrf_token(self)},
        )
        result = self.make_jsonrpc_request("/my/join/sign", {"name": "Sam Gérant", "signature": SIGNATURE})
        self.assertEqual(result.get("redirect_url"), "/my/join")
        invoices = application.join_invoice_ids
        self.assertTrue(invoices)
        result = self.make_jsonrpc_request("/my/join/sign", {"name": "Sam Gérant", "signature": SIGNATURE})
        self.assertIn("error", result)
        self.assertEqual(application.join_invoice_ids, invoices)
        self.assertEqual(application.signatory_capacity, "Gérant")


@tagged("post_install", "-at_install")
class TestJoinGiveVatLater(CoopCommon, HttpCase):
    """SPEC 2.1.8: a company joined while being incorporated gives its VAT number later."""

    def setUp(self):
        super().setUp()
        self.Membership = self.env["coop.membership"]
        self.Application = self.env["coop.membership.application"]
        self.user = new_test_user(self.env, "founder_later", groups="base.group_portal", password="founder_later-pass")
        self.company = self.Application._coop_join_company(
            self.user, not_incorporated=True, company_name="Société En Formation SRL", lang="en_US"
        )

    def test_vat_given_later_fills_vies_and_is_refused_when_invalid_or_taken(self):
        with self.assertRaises(UserError):
            self.env["res.partner"]._coop_join_give_vat(self.user, "BE0000000001")
        self.assertTrue(self.company.coop_not_incorporated)
        self.assertFalse(self.company.vat)
        self._make_company("Déjà Là SRL", vat="BE0403170701")
        with self.assertRaisesRegex(UserError, "Déjà Là SRL"):
            self.env["res.partner"]._coop_join_give_vat(self.user, "BE0403170701")
        self.assertFalse(self.company.vat)
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            self.env["res.partner"]._coop_join_give_vat(self.user, "0477.472.701")
        self.assertRecordValues(
            self.company, [{"vat": "BE0477472701", "coop_not_incorporated": False, "name": "BRASSERIE EN LIGNE SRL"}]
        )
        self.assertEqual(self.company.city, "BRUXELLES")
        with self.assertRaisesRegex(UserError, "already known"):
            self.env["res.partner"]._coop_join_give_vat(self.user, "BE0477472701")

    def test_vat_given_from_the_portal_page(self):
        self.authenticate(self.user.login, "founder_later-pass")
        page = self.url_open("/my/join")
        self.assertIn("o_coop_join_give_vat", page.text)
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            response = self.url_open(
                "/my/join/vat", data={"vat": "BE0477472701", "csrf_token": Request.csrf_token(self)}
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.company.vat, "BE0477472701")
        self.assertNotIn("o_coop_join_give_vat", self.url_open("/my/join").text)

    def test_members_being_incorporated_are_reminded_every_30_days(self):
        membership = self._make_member(self.company)
        self.assertEqual(membership.state, "active")
        template = self.env.ref("coop_24pm_membership.mail_template_join_vat_reminder")

        def reminders():
            return membership.message_ids.filtered(lambda m: m.subject and template.subject.split(" (")[0] in m.subject)

        self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(len(reminders()), 1)
        self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(len(reminders()), 1, "once per 30 days")
        membership.partner_id.coop_date_vat_reminder = fields.Date.subtract(fields.Date.today(), days=30)
        self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(len(reminders()), 2)
        self.company.write({"vat": "BE0477472701", "coop_not_incorporated": False})
        membership.partner_id.coop_date_vat_reminder = False
        self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(len(reminders()), 2, "no reminder once the VAT number is known")


@tagged("post_install", "-at_install")
class TestOneOpenMembership(CoopCommon):
    def test_a_company_has_one_membership_in_progress(self):
        """The database refuses a second membership in progress for a company, whatever
        creates it (two simultaneous journeys, a double click in two transactions)."""
        company = self._make_company("Unique SRL", vat="BE0477472701")
        first = self._make_application(company)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["coop.membership.application"].create({"partner_id": company.id})
        first.action_cancel()
        second = self._make_application(company)  # a new application once the first is closed
        self.assertNotEqual(first, second)
        member = self._make_member(self._make_company("Unique Membre SRL", vat="BE0403170701"))
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["coop.membership"].create({"partner_id": member.partner_id.id})
        member.action_terminate("2026-06-30")
        again = self.env["coop.membership"].create({"partner_id": member.partner_id.id})  # re-joining after the end
        self.assertNotEqual(member, again)
