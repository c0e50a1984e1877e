"""Issue 22, "one way in for portal input": every portal form of the suite, fed what
users and attackers send, answers a message in the user's language (or a 4xx) and
writes nothing. Table-driven: one row per form and hostile value."""

from datetime import timedelta

from odoo import fields
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon

MEGABYTE_TEXT = "x" * 1_000_000
LONG_TEXT = "y" * 6_000


@tagged("post_install", "-at_install")
class TestPortalHostileInput(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._make_agent(
            cls.member,
            "Agent Hostile",
            "agent.hostile@example.com",
            finance=True,
            projects=True,
            agents=True,
            password="agent-hostile-pass",
        )
        cls.other = cls._make_billing_member("Other Hostile", cls.basic_2021)
        today = fields.Date.today()
        cls.fresh_invoice = cls.init_invoice(
            "out_invoice", partner=cls.member.partner_id, amounts=[100.0], invoice_date=today, post=True
        )
        cls.old_invoice = cls.init_invoice(
            "out_invoice",
            partner=cls.member.partner_id,
            amounts=[100.0],
            invoice_date=today - timedelta(days=40),
            post=True,
        )
        cls.call_for_funds = cls.init_invoice(
            "out_invoice", partner=cls.member.partner_id, amounts=[250.0], invoice_date=today, post=False
        )
        cls.call_for_funds.coop_is_call_for_funds = True
        cls.call_for_funds.action_post()
        cls.other_invoice = cls.init_invoice(
            "out_invoice", partner=cls.other.partner_id, amounts=[100.0], invoice_date=today, post=True
        )
        cls.recurring = cls.env["project.task"].create(
            {"name": "Monitoring", "project_id": cls.project.id, "coop_budget_period": "month"}
        )
        cls.other_task = cls.env["project.task"].create(
            {
                "name": "Theirs",
                "project_id": cls.env["project.project"]._coop_projects_of(cls.other).id,
                "coop_budget_period": "month",
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate("agent.hostile@example.com", "agent-hostile-pass")

    # -- what a form may write -------------------------------------------------------------
    def _written(self):
        """Counts of everything a portal form of the suite may create."""
        env = self.env
        env.invalidate_all()
        return {
            "guarantee moves": env["coop.guarantee.move"].search_count([]),
            "disputes": env["coop.invoice.dispute"].search_count([]),
            "activities": env["mail.activity"].search_count([]),
            "pm requests": env["coop.pm.change.request"].search_count([]),
            "agents": env["res.partner"].search_count([("parent_id", "=", self.member.partner_id.id)]),
            "tasks": env["project.task"].search_count([]),
            "budgets": env["coop.task.budget"].search_count([]),
        }

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": Request.csrf_token(self)}, timeout=60)

    def _assert_refused(self, url, data, message):
        before = self._written()
        response = self._post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error=", response.url)
        self.assertIn("o_coop_error", response.text)
        self.assertIn(message, response.text)
        self.assertNotIn("Traceback", response.text)
        self.assertEqual(self._written(), before)

    def test_amounts_that_are_not_amounts_are_refused(self):
        trust = f"/my/membership/{self.member.id}"
        not_a_number = "The amount of the top-up must be a number, such as 150 or 150.50."
        out_of_bounds = "The amount of the top-up must be between"
        for value, message in (
            ("1e999", not_a_number),
            ("1e300", not_a_number),
            ("nan", not_a_number),
            ("inf", not_a_number),
            ("-0", not_a_number),
            ("-50", not_a_number),
            ("0", out_of_bounds),
            ("99999999", out_of_bounds),
            ("12.34.56", not_a_number),
            ("", "Give the amount of the top-up."),
        ):
            with self.subTest(value=value):
                self._assert_refused(f"{trust}/topup", {"amount": value}, message)

    def test_dispute_form_refuses_what_it_did_not_offer(self):
        url = f"/my/membership/{self.member.id}/dispute"
        valid = {"invoice_id": self.fresh_invoice.id, "amount": "10", "subject": "Wrong hours"}
        not_offered = "Choose one of the invoices the form offers: the others can no longer be disputed."
        for field, value, message in (
            ("invoice_id", self.old_invoice.id, not_offered),
            ("invoice_id", self.call_for_funds.id, not_offered),
            ("invoice_id", self.other_invoice.id, not_offered),
            ("invoice_id", "1 OR 1=1", not_offered),
            ("amount", "1e999", "The disputed amount must be a number, such as 150 or 150.50."),
            ("amount", "nan", "The disputed amount must be a number, such as 150 or 150.50."),
            ("amount", "500", "The disputed amount must be between"),
            ("date_undisputed_payment", "2026-13-45", "The payment date of the undisputed part is not a valid date."),
            ("subject", LONG_TEXT, "The object of the dispute is too long: at most 5000 characters."),
        ):
            with self.subTest(field=field, value=str(value)[:20]):
                self._assert_refused(url, {**valid, field: value}, message)

    def test_dispute_form_offers_only_disputable_invoices_with_their_deadline(self):
        page = self.url_open(f"/my/membership/{self.member.id}/trust")
        self.assertIn(f'value="{self.fresh_invoice.id}"', page.text)
        self.assertNotIn(f'value="{self.old_invoice.id}"', page.text)
        self.assertNotIn(f'value="{self.call_for_funds.id}"', page.text)
        self.assertIn(self.fresh_invoice._coop_dispute_option_label(), page.text)

    def test_texts_are_bounded(self):
        membership = f"/my/membership/{self.member.id}"
        for url, data, message in (
            (f"{membership}/discrepancy", {"description": LONG_TEXT}, "The discrepancy is too long"),
            (f"{membership}/pm_change", {"reason": LONG_TEXT}, "The reason is too long"),
            (f"{membership}/pm_change", {"reason": "   "}, "Give the reason."),
            (
                f"{membership}/agent",
                {"name": "n" * 300, "email": "new.agent@example.com", "finance": "on"},
                "The agent&#39;s name is too long: at most 200 characters.",
            ),
            (
                f"{membership}/work-request",
                {"name": "t" * 300, "tariff_accepted": "on"},
                "The title of the request is too long: at most 200 characters.",
            ),
        ):
            with self.subTest(url=url):
                self._assert_refused(url, data, message)

    def test_a_megabyte_of_text_is_refused(self):
        membership = f"/my/membership/{self.member.id}"
        for url, data, message in (
            (f"{membership}/discrepancy", {"description": MEGABYTE_TEXT}, "The discrepancy is too long"),
            (f"{membership}/work-request", {"name": MEGABYTE_TEXT}, "The title of the request is too long"),
            (f"{membership}/pm_change", {"reason": MEGABYTE_TEXT}, "The reason is too long"),
        ):
            with self.subTest(url=url):
                self._assert_refused(url, data, message)
        page = self.url_open(f"{membership}/work")
        self.assertLess(len(page.content), 200_000)

    def test_budget_hours_are_finite_and_bounded(self):
        work = f"/my/membership/{self.member.id}"
        for value, message in (
            ("nan", "The budget must be a number, such as 150 or 150.50."),
            ("1e999", "The budget must be a number, such as 150 or 150.50."),
            ("1e300", "The budget must be a number, such as 150 or 150.50."),
            ("-0", "The budget must be a number, such as 150 or 150.50."),
            ("100000", "The budget must be between 0 and 200 hours."),
        ):
            with self.subTest(value=value):
                self._assert_refused(f"{work}/work-budget/{self.recurring.id}", {"hours": value}, message)
        self._assert_refused(
            f"{work}/work-budget/{self.other_task.id}", {"hours": "4"}, "This task does not belong to your projects."
        )

    def test_crafted_messages_in_the_url_show_nothing(self):
        for url in (
            f"/my/membership/{self.member.id}",
            f"/my/membership/{self.member.id}/trust",
            f"/my/membership/{self.member.id}/work",
        ):
            with self.subTest(url=url):
                page = self.url_open(f"{url}?error=Pay+to+BE00+0000&message=saved")
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("Pay to BE00", page.text)
                self.assertNotIn("o_coop_error", page.text)
                self.assertNotIn("o_coop_saved", page.text)

    def test_message_after_a_post_is_shown_once(self):
        response = self._post(f"/my/membership/{self.member.id}/topup", {"amount": "1e999"})
        self.assertIn("o_coop_error", response.text)
        again = self.url_open(f"/my/membership/{self.member.id}/trust")
        self.assertNotIn("o_coop_error", again.text)

    def test_join_payment_steps_do_not_run_on_an_active_membership(self):
        mode = self.member.coop_payment_mode
        for url, data in (
            ("/my/join/mandate/iban", {"iban": "BE68 5390 0754 7034"}),
            ("/my/join/prepayment", {}),
        ):
            with self.subTest(url=url):
                response = self._post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_coop_error", response.text)
        self.member.invalidate_recordset()
        self.assertEqual(self.member.coop_payment_mode, mode)
        self.assertFalse(self.member.application_id.join_mandate_id)
