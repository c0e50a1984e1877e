from contextlib import contextmanager

from freezegun import freeze_time
from lxml import html

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestArt1132FundedWorkMediation(CoopBillingCommon, HttpCase):
    """Funded work ("risk 0", the project-marketplace seed; SPEC 4.3) and the mediation of
    ROI art. 11.3.2: a member on prepayments works only on what it funded (held on
    460000), releases it on delivery, and a dispute on it is decided by the mediator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._make_billing_member("Autre Fonds SRL")
        cls._make_agent_pair(cls.other, cls.member, "funded")
        cls.member.write({"coop_funded_work": True, "prepayment_amount": 500.0, "prepayment_frequency": "monthly"})
        with freeze_time("2026-03-01"):
            cls.prepayment = cls.member._get_prepayment_account().action_invoice()
        cls._pay(cls.prepayment, 500.0, date="2026-03-01")
        cls.company = cls.member.company_id
        cls.advances = cls.company._coop_get_prepayment_account()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _balance(self, account, partner=None):
        """Posted balance of ``account`` for the member (debit positive), read from the lines."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", account.id),
                ("partner_id", "=", (partner or self.member.partner_id).id),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def _service_invoice(self, minutes=120, day="2026-03-02", today="2026-03-10"):
        """``minutes`` of a medior (60.00 x 1.38 = 82.80 an hour) invoiced on ``today``."""
        self._log(self.medior, minutes, day)
        with freeze_time(today):
            return self._invoice_members(self.member, today)

    @contextmanager
    def _refused(self, exception, article):
        """Refused (assertRaises: its savepoint rolls back), the message naming the rule."""
        with self.assertRaises(exception) as refused:
            yield
        self.assertIn(article, str(refused.exception))

    # ------------------------------------------------------------------
    # the funded balance and the work it allows
    # ------------------------------------------------------------------
    def test_funded_balance_from_posted_prepayments(self):
        self.assertEqual(self.advances.code, "460000")
        self.assertEqual(self._balance(self.advances), -500.0)
        self.assertRecordValues(
            self.member._get_prepayment_account(),
            [{"funded_balance": 500.0, "funded_committed": 0.0, "funded_left": 500.0}],
        )
        # two hours of a medior: 165.60 VAT excluded, 200.38 with 21 % VAT
        self._log(self.medior, 120, "2026-03-02")
        self.member._get_prepayment_account().invalidate_recordset()
        self.assertRecordValues(
            self.member._get_prepayment_account(),
            [{"funded_balance": 500.0, "funded_committed": 200.38, "funded_left": 299.62}],
        )

    def test_funded_work_needs_the_prepayment_mode(self):
        self.other.coop_payment_mode = "direct_debit"
        with self._refused(ValidationError, "art. 6.1"):
            self.other.coop_funded_work = True
        self.assertFalse(self.other.coop_funded_work)

    def test_time_beyond_the_funded_balance_refused(self):
        line = self._log(self.medior, 120, "2026-03-02")
        lines_before = self.env["account.analytic.line"].search_count([("coop_membership_id", "=", self.member.id)])
        # 3 more hours (248.40 + VAT = 300.56) would exceed the 299.62 left
        with self._refused(ValidationError, "art. 6.1"):
            self._log(self.medior, 180, "2026-03-03")
        self.assertEqual(
            self.env["account.analytic.line"].search_count([("coop_membership_id", "=", self.member.id)]),
            lines_before,
        )
        # the write path obeys too: 2 h -> 5 h is 500.94 of work for 500.00 funded
        with self._refused(ValidationError, "art. 6.1"):
            line.unit_amount = 5.0
        self.assertEqual(line.unit_amount, 2.0)
        # up to the funded balance: 2 h 45 more, 4 h 45 in all: 393.30 + 82.59 VAT = 475.89, 24.11 left
        self._log(self.medior, 165, "2026-03-03")
        self.member._get_prepayment_account().invalidate_recordset()
        self.assertRecordValues(
            self.member._get_prepayment_account(), [{"funded_committed": 475.89, "funded_left": 24.11}]
        )

    def test_pm_warned_when_the_funded_balance_is_nearly_used(self):
        summary = "Funded balance nearly used"
        self._log(self.medior, 120, "2026-03-02")
        self.assertFalse(self.member.activity_ids.filtered(lambda a: a.summary == summary))
        # 4 h in all: 400.75 of 500.00, 99.25 left, under a fifth (100.00)
        self._log(self.medior, 120, "2026-03-03")
        activity = self.member.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.member.pm_id or self.member.am_id or self.env.user)
        self.assertIn("99.25", activity.note)
        # once while it is open
        self._log(self.medior, 15, "2026-03-04")
        self.assertEqual(len(self.member.activity_ids.filtered(lambda a: a.summary == summary)), 1)

    def test_pm_warned_when_an_estimate_goes_beyond_the_funded_balance(self):
        summary = "Estimate beyond the funded balance"
        task = self.env["project.task"].create({"name": "Catalogue", "project_id": self.project.id})
        # 4 h of a medior: 331.20 + VAT = 400.75, within the 500.00 funded
        self.env["coop.task.estimate"].create({"task_id": task.id, "category_id": self.cat_medior.id, "hours": 4})
        self.assertFalse(task.activity_ids.filtered(lambda a: a.summary == summary))
        # 6 h: 496.80 + VAT = 601.13, beyond
        task.coop_estimate_ids.hours = 6
        activity = task.activity_ids.filtered(lambda a: a.summary == summary)
        self.assertEqual(len(activity), 1)
        self.assertIn("601.13", activity.note)
        self.assertIn("500.00", activity.note)

    def test_request_refused_when_nothing_funded_is_left(self):
        member = self._make_billing_member("Sans Fonds SRL")
        member.write({"coop_funded_work": True, "prepayment_amount": 300.0})
        with freeze_time("2026-03-01"):
            prepayment = member._get_prepayment_account().action_invoice()
        # invoiced, not paid: nothing is funded yet
        self.assertEqual(member._get_prepayment_account().funded_left, 0.0)
        Task = self.env["project.task"]
        with self._refused(ValidationError, "art. 6.1"):
            Task._coop_create_request(member, "Shop", tariff_accepted=True)
        self.assertFalse(Task.search([("project_id", "=", self.env["project.project"]._coop_projects_of(member).id)]))
        self._pay(prepayment, 300.0, date="2026-03-02")
        member._get_prepayment_account().invalidate_recordset()
        self.assertEqual(member._get_prepayment_account().funded_left, 300.0)
        task = Task._coop_create_request(member, "Shop", tariff_accepted=True)
        self.assertEqual(task.coop_request_state, "accepted")

    # ------------------------------------------------------------------
    # release on delivery
    # ------------------------------------------------------------------
    def test_release_on_delivery_posts_from_460_to_the_receivable(self):
        invoice = self._service_invoice()
        self.assertEqual(invoice.amount_total, 200.38)
        # held: the prepayment is not applied when the invoice is posted
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self._balance(self.advances), -500.0)
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        with freeze_time("2026-03-12"):
            moves = self.member._get_prepayment_account().action_coop_release_funded(200.38)
        self.assertEqual(len(moves), 1)
        self.assertRecordValues(
            moves.line_ids.sorted("debit", reverse=True),
            [
                {"account_id": self.advances.id, "debit": 200.38, "credit": 0.0},
                {"account_id": receivable.account_id.id, "debit": 0.0, "credit": 200.38},
            ],
        )
        self.assertEqual(moves.state, "posted")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(self._balance(self.advances), -299.62)
        self.assertTrue(receivable.reconciled)
        self.member._get_prepayment_account().invalidate_recordset()
        self.assertRecordValues(
            self.member._get_prepayment_account(),
            [{"funded_balance": 299.62, "funded_committed": 0.0, "funded_left": 299.62}],
        )

    def test_staff_release_through_the_wizard(self):
        invoice = self._service_invoice()
        action = self.member._get_prepayment_account().action_coop_open_funded_release()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.funded, 500.0)
        form.amount = 150.0
        with freeze_time("2026-03-12"):
            form.save().action_release()
        self.assertEqual(invoice.amount_residual, 50.38)
        self.assertEqual(self._balance(self.advances), -350.0)

    def test_release_larger_than_funded_or_delivered_refused(self):
        invoice = self._service_invoice()
        with self._refused(UserError, "art. 6.1"):
            self.member._get_prepayment_account().action_coop_release_funded(500.01)
        with self.assertRaises(UserError):
            # more than the work invoiced
            self.member._get_prepayment_account().action_coop_release_funded(200.39)
        with self.assertRaises(UserError):
            self.member._get_prepayment_account().action_coop_release_funded(0.0)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self._balance(self.advances), -500.0)

    # ------------------------------------------------------------------
    # mediation (art. 11.3.2)
    # ------------------------------------------------------------------
    def _dispute(self, invoice, amount, today="2026-03-12"):
        with freeze_time(today):
            return self.env["coop.invoice.dispute"].create(
                {"invoice_id": invoice.id, "amount": amount, "subject": "Delivered pages do not match the brief"}
            )

    def test_mediation_releases_and_refunds_the_funded_amount(self):
        invoice = self._service_invoice()
        dispute = self._dispute(invoice, 100.0)
        self.assertTrue(dispute.coop_on_funded_work)
        # the undisputed part is released on delivery
        with freeze_time("2026-03-12"):
            self.member._get_prepayment_account().action_coop_release_funded(100.38)
        self.assertEqual(invoice.amount_residual, 100.0)
        with freeze_time("2026-03-15"):
            dispute.action_coop_start_mediation()
        self.assertRecordValues(
            dispute,
            [
                {
                    "mediation_state": "ongoing",
                    "mediator": "Brussels Business Mediation Center (bMediation)",
                    "mediation_date_start": self._d("2026-03-15"),
                }
            ],
        )
        with self.assertRaises(UserError):
            # the whole disputed amount is decided
            dispute.action_coop_mediation_decide(60.0, 30.0, "Partly founded")
        with self.assertRaises(UserError) as refused:
            # 32.64 + 21 % VAT = 39.49, 32.65 + VAT = 39.51: no credit note carries 39.50
            dispute.action_coop_mediation_decide(60.50, 39.50, "Partly founded")
        self.assertIn("39.49", str(refused.exception))
        self.assertEqual(dispute.mediation_state, "ongoing")
        with freeze_time("2026-04-20"):
            moves = dispute.action_coop_mediation_decide(60.49, 39.51, "Two pages of five to be redone: 39.51 back")
        self.assertRecordValues(
            dispute,
            [
                {
                    "mediation_state": "decided",
                    "mediation_date_decision": self._d("2026-04-20"),
                    "mediation_release_amount": 60.49,
                    "mediation_refund_amount": 39.51,
                    "state": "accepted",
                }
            ],
        )
        credit_note = moves.filtered(lambda m: m.move_type == "out_refund")
        self.assertRecordValues(credit_note, [{"state": "posted", "amount_untaxed": 32.65, "amount_total": 39.51}])
        self.assertIn(invoice.name, credit_note.ref)
        payable = self.member.partner_id.with_company(self.company).property_account_payable_id
        refund = moves.filtered(lambda m: m.move_type == "entry" and payable in m.line_ids.account_id)
        self.assertRecordValues(
            refund.line_ids.sorted("debit", reverse=True),
            [
                {"account_id": self.advances.id, "debit": 39.51, "credit": 0.0},
                {"account_id": payable.id, "debit": 0.0, "credit": 39.51},
            ],
        )
        release = moves.filtered(lambda m: m.move_type == "entry") - refund
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        receivable = receivable.account_id
        self.assertRecordValues(
            release.line_ids.sorted("debit", reverse=True),
            [
                {"account_id": self.advances.id, "debit": 60.49, "credit": 0.0},
                {"account_id": receivable.id, "debit": 0.0, "credit": 60.49},
            ],
        )
        self.assertEqual(moves.mapped("state"), ["posted"] * 3)
        self.assertEqual(dispute.mediation_move_ids, moves)
        # the invoice is settled (Odoo calls "reversed" an invoice settled by a credit note and
        # entries), 460000 holds 500.00 - 100.38 - 60.49 - 39.51 = 299.62
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(self._balance(self.advances), -299.62)
        self.assertEqual(self._balance(payable), -39.51)

    def test_mediation_refused_beyond_the_funded_amount_or_off_funded_work(self):
        invoice = self._service_invoice()
        dispute = self._dispute(invoice, 150.0)
        dispute.action_coop_start_mediation()
        # the disputed 150.00 is funded, but not once 400.00 of it is refunded elsewhere
        self.env["coop.invoice.dispute"].browse()
        other_invoice = self._post_invoice(self.other.partner_id, 300.0, date="2026-03-10")
        other_dispute = self._dispute(other_invoice, 50.0)
        self.assertFalse(other_dispute.coop_on_funded_work)
        with self._refused(UserError, "art. 11.3.2"):
            other_dispute.action_coop_start_mediation()
        with self._refused(UserError, "art. 11.3.2"):
            other_dispute.action_coop_mediation_decide(50.0, 0.0, "Founded")
        self.assertEqual(other_dispute.mediation_state, "none")
        with self.assertRaises(UserError):
            dispute.action_coop_mediation_decide(150.0, 0.0, " ")
        self.assertEqual(dispute.mediation_state, "ongoing")
        self.assertFalse(dispute.mediation_move_ids)

    # ------------------------------------------------------------------
    # the portal
    # ------------------------------------------------------------------
    def _post(self, url, **data):
        return self.url_open(url, data={**data, "csrf_token": http.Request.csrf_token(self)})

    def _amount(self, response, css_class):
        tree = html.fromstring(response.text)
        return float(tree.xpath(f"//td[contains(@class, '{css_class}')]/@data-amount")[0])

    def test_portal_shows_the_balance_left_and_releases_on_delivery(self):
        invoice = self._service_invoice()
        url = f"/my/membership/{self.member.id}/trust"
        self.authenticate("funded.b@example.com", "funded-b-pass")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(self._amount(page, "o_coop_funded_balance"), 500.0)
        self.assertEqual(self._amount(page, "o_coop_funded_committed"), 200.38)
        self.assertEqual(self._amount(page, "o_coop_funded_left"), 299.62)
        response = self._post(f"/my/membership/{self.member.id}/funded_release", amount="200.38")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(self._balance(self.advances), -299.62)
        # more than what is funded: refused, nothing posted
        response = self._post(f"/my/membership/{self.member.id}/funded_release", amount="300")
        self.assertIn("o_coop_error", response.text)
        self.assertEqual(self._balance(self.advances), -299.62)

    def test_portal_release_other_member_404_without_finance_403(self):
        self._service_invoice()
        self.authenticate("funded.a@example.com", "funded-a-pass")
        self.assertEqual(self.url_open(f"/my/membership/{self.member.id}/trust").status_code, 404)
        response = self._post(f"/my/membership/{self.member.id}/funded_release", amount="100")
        self.assertEqual(response.status_code, 404)
        self.authenticate("funded.b2@example.com", "funded-b2-pass")
        response = self._post(f"/my/membership/{self.member.id}/funded_release", amount="100")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._balance(self.advances), -500.0)
        # the agent of the projects sees on the work page what is left for new work
        page = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertEqual(page.status_code, 200)
        left = html.fromstring(page.text).xpath("//strong[contains(@class, 'o_coop_work_funded_left')]/@data-amount")
        self.assertEqual(left, ["299.62"])
