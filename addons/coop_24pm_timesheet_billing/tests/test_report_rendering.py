import json
from datetime import date

from odoo.tests import Form, tagged

from odoo.addons.coop_24pm_plans.tests.common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestReportRendering(CoopPlansCommon):
    """The reports accountants use render as PDF and XLSX on the suite's entries:
    OCA account_financial_report (trial balance, aged partner balance, general ledger,
    open items) and the cooperative management report (mis_builder)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._make_plan_member("Render Basic SRL", cls.basic_2023, "2026-03-01")
        # contributions of March and April: journal items, receivables, one overdue
        for day in ("2026-03-01", "2026-04-01"):
            cls._run_contract_cron_cls(day)

    @classmethod
    def _run_contract_cron_cls(cls, day):
        from freezegun import freeze_time  # noqa: PLC0415

        with freeze_time(day):
            cls.Contract.cron_recurring_create_invoice()

    def _render(self, action, record):
        """Render the report of ``action`` (a report action of a wizard or an instance)."""
        if action.get("type") == "ir.actions.act_window":  # first asks to configure the document layout
            action = action["context"]["report_action"]
        report = self.env["ir.actions.report"]._get_report(action["report_name"])
        context = {**(action.get("context") or {}), "active_model": record._name, "active_id": record.id}
        context["active_ids"] = record.ids
        Report = self.env["ir.actions.report"].with_context(**context)
        # the data travel through the web client as JSON (dates as strings), as in real use
        data = json.loads(json.dumps(action.get("data") or {}, default=str))
        content, content_type = Report._render(report.report_name, record.ids, data=data)
        self.assertTrue(content)
        return content, content_type

    def _assert_pdf(self, report_name, record, data):
        """The PDF through wkhtmltopdf (Odoo's tests otherwise fall back to HTML)."""
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, active_model=record._name, active_ids=record.ids)
            ._render_qweb_pdf(report_name, record.ids, data=json.loads(json.dumps(data or {}, default=str)))
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))

    def _check_wizard(self, model, vals, expected):
        """The wizard filled in as a user does (onchanges), then XLSX, HTML and PDF."""
        with Form(self.env[model]) as form:
            for name, value in vals.items():
                setattr(form, name, value)
        wizard = form.record
        xlsx, content_type = self._render(wizard.button_export_xlsx(), wizard)
        self.assertEqual(content_type, "xlsx")
        self.assertTrue(xlsx.startswith(b"PK"))  # an Office Open XML archive
        html, content_type = self._render(wizard.button_export_html(), wizard)
        self.assertEqual(content_type, "html")
        self.assertIn(expected, html.decode())
        action = wizard.button_export_pdf()
        action = action["context"]["report_action"] if action.get("type") == "ir.actions.act_window" else action
        self._assert_pdf(action["report_name"], wizard, action.get("data"))

    def test_trial_balance(self):
        self._check_wizard(
            "trial.balance.report.wizard",
            {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31), "target_move": "posted"},
            "700100",
        )

    def test_aged_partner_balance(self):
        self._check_wizard(
            "aged.partner.balance.report.wizard",
            {"date_at": date(2026, 6, 30), "target_move": "posted", "receivable_accounts_only": True},
            "Render Basic SRL",
        )

    def test_general_ledger(self):
        self._check_wizard(
            "general.ledger.report.wizard",
            {
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "target_move": "posted",
            },
            "700100",
        )

    def test_open_items(self):
        self._check_wizard(
            "open.items.report.wizard",
            {"date_at": date(2026, 6, 30), "target_move": "posted", "receivable_accounts_only": True},
            "Render Basic SRL",
        )

    def test_management_report_pdf_and_xlsx(self):
        instance = self.env["mis.report.instance"].create(
            {
                "name": "Management render",
                "report_id": self.env.ref("coop_24pm_timesheet_billing.mis_report_coop_management").id,
                "company_id": self.env.company.id,
                "target_move": "posted",
                "date": "2026-06-30",
                "comparison_mode": True,
                "period_ids": [
                    (0, 0, {"name": f"M{month}", "mode": "relative", "type": "m", "coop_month_of_year": month})
                    for month in range(1, 13)
                ],
            }
        )
        xlsx, content_type = self._render(instance.export_xls(), instance)
        self.assertEqual(content_type, "xlsx")
        self.assertTrue(xlsx.startswith(b"PK"))
        action = instance.print_pdf()
        action = action["context"]["report_action"] if action.get("type") == "ir.actions.act_window" else action
        html, content_type = self._render(action, instance)  # HTML fallback of Odoo's test mode
        self.assertIn("Contributions: Basic", html.decode())
        self._assert_pdf(action["report_name"], instance, action.get("data"))

    def test_shipped_instances_render(self):
        """The instances shipped as data (management report, Belgian balance sheet) open."""
        for xmlid in (
            "coop_24pm_timesheet_billing.mis_instance_coop_management",
            "coop_24pm_membership.mis_instance_be_balance_sheet",
        ):
            shipped = self.env.ref(xmlid).sudo()
            instance = shipped.copy({"company_id": self.env.company.id}).with_env(self.env)
            self.assertTrue(instance.compute())
            xlsx, _content_type = self._render(instance.export_xls(), instance)
            self.assertTrue(xlsx.startswith(b"PK"))
