from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestArt47EstimatesInAmounts(CoopBillingCommon, HttpCase):
    """Art. 4.7: the member and the PM see the estimate of planned work as an amount
    (hours x group rate of the category x (1 + the plan's margin)), priced as the service
    invoice prices the time; the warning past the estimate and the 3x block stay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_agent(cls.member, "Agent Estimate", "agent.estimate@example.com", password="agent-estimate-pass")

    def _estimated_task(self, lines, name="Shop redesign"):
        """A task estimated by the PM in the task form (Billing tab), on 10 March 2026."""
        with freeze_time("2026-03-10"):
            form = Form(self.env["project.task"])
            form.name = name
            form.project_id = self.project
            for category, hours in lines:
                with form.coop_estimate_ids.new() as line:
                    line.category_id = category
                    line.hours = hours
            return form.save()

    def test_estimate_amount_by_category_with_the_plan_margin(self):
        task = self._estimated_task([(self.cat_senior, 4.0), (self.cat_junior, 6.0)])
        with freeze_time("2026-03-10"):
            task.invalidate_recordset()
            # senior 4 h x 80.00 x 1.38 = 441.60 ; junior 6 h x 45.00 x 1.38 = 372.60
            self.assertRecordValues(
                task.coop_estimate_ids.sorted("sequence"),
                [
                    {"rate": 80.0, "margin": 0.38, "amount": 441.60},
                    {"rate": 45.0, "margin": 0.38, "amount": 372.60},
                ],
            )
            self.assertEqual(task.coop_estimate_amount, 814.20)  # 590.00 + 38 % margin 224.20
            self.assertEqual(task.coop_estimate_max_amount, 2442.60)  # 3 x
        self.assertEqual(task.allocated_hours, 10.0)

    def test_estimate_agrees_with_the_invoice_to_the_cent(self):
        # 1 h 15 x 60.00 = 75.00 and 0 h 45 x 45.00 = 33.75: margin 38 % on 108.75 = 41.33 (one rounding)
        task = self._estimated_task([(self.cat_medior, 1.25), (self.cat_junior, 0.75)], name="Newsletter")
        with freeze_time("2026-03-10"):
            task.invalidate_recordset()
            self.assertEqual(task.coop_estimate_amount, 150.08)
        self._log(self.medior, 75, "2026-03-10", task=task)
        self._log(self.junior, 45, "2026-03-10", task=task)
        invoice = self._invoice_members(self.member, date(2026, 3, 31))
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 150.08)

    def test_warning_and_three_times_block_stay(self):
        self.member.pm_id = self.staff
        task = self._estimated_task([(self.cat_medior, 2.0)], name="Logo")
        self.assertEqual(task.allocated_hours, 2.0)
        self._log(self.medior, 121, "2026-03-02", task=task)  # 2.25 h: past the estimate
        self.assertTrue(task.coop_estimate_warned)
        self.assertEqual(len(task.activity_ids.filtered(lambda a: a.summary == "Estimate exceeded")), 1)
        self._log(self.medior, 225, "2026-03-03", task=task)  # 6.00 h = 3 x 2 h
        with self.assertRaises(ValidationError):
            self._log(self.medior, 1, "2026-03-04", task=task)

    def test_bad_estimate_refused_naming_the_article(self):
        task = self._estimated_task([(self.cat_medior, 2.0)], name="Audit")
        Estimate = self.env["coop.task.estimate"]
        for vals in (
            {"category_id": self.cat_medior.id, "hours": 0.0},
            {"category_id": self.cat_subcontractor.id, "hours": 3.0},  # no purchase price
        ):
            with self.assertRaises(ValidationError) as refused:
                Estimate.create({"task_id": task.id, **vals})
            self.assertIn("Art. 4.7", str(refused.exception))
        self.assertEqual(len(task.coop_estimate_ids), 1)
        self.assertEqual(task.allocated_hours, 2.0)
        # a subcontractor at its purchase price + the margin: 3 h x 50.00 x 1.38 = 207.00
        with freeze_time("2026-03-10"):
            sub = Estimate.create(
                {"task_id": task.id, "category_id": self.cat_subcontractor.id, "hours": 3.0, "purchase_price": 50.0}
            )
            self.assertEqual(sub.amount, 207.0)
        self.assertEqual(task.allocated_hours, 5.0)

    def test_request_confirmation_states_the_estimated_amount(self):
        task = self._estimated_task([(self.cat_senior, 4.0), (self.cat_junior, 6.0)])
        self.member.partner_id.lang = "fr_BE"
        with freeze_time("2026-03-10 09:00:00"):
            task.action_coop_confirm_pm_request()
        body = self.member.notice_ids.filtered(lambda n: n.kind == "projects").message_id.body
        self.assertIn("814,20", body)
        self.assertIn("2.442,60", body)
        self.assertIn("art. 4.7", body)

    def test_portal_shows_the_estimated_amount(self):
        task = self._estimated_task([(self.cat_senior, 4.0), (self.cat_junior, 6.0)])
        self.authenticate("agent.estimate@example.com", "agent-estimate-pass")
        with freeze_time("2026-03-10"):
            page = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertEqual(page.status_code, 200)
        self.assertIn(task.name, page.text)
        self.assertIn("814.20", page.text)
        self.assertIn("2,442.60", page.text)
