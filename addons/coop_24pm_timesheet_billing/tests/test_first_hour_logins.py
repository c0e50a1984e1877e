"""SPEC 7.7 / issue 22: each person reaches every screen the README names.

Three logins as ``bin/run`` prints them (staff of the cooperative, the accountant with
Odoo's full accounting features, a member's portal agent), built here with the groups
of the demo users, open each screen of the README's "What to look at" over HTTP, as
the web client does: load the action, its views, and read the rows of its list.
"""

import json
import re

from lxml import etree

from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon

STAFF_GROUPS = "coop_24pm_membership.group_coop_user,account.group_account_invoice"
ACCOUNTANT_GROUPS = "account.group_account_manager,account.group_account_user"


@tagged("post_install", "-at_install")
class TestFirstHourLogins(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from odoo.tests import new_test_user

        company = cls.env.company
        cls.staff_user = new_test_user(
            cls.env, "first.staff", password="first-staff-pass", groups=STAFF_GROUPS, company_id=company.id
        )
        cls.accountant_user = new_test_user(
            cls.env,
            "first.accountant",
            password="first-accountant-pass",
            groups=ACCOUNTANT_GROUPS,
            company_id=company.id,
        )
        cls._make_agent(cls.member, "Agent First", "agent.first@example.com", password="agent-first-pass")
        # the reports shipped for the main company, read in the test's company
        for xmlid in (
            "coop_24pm_timesheet_billing.mis_instance_coop_management",
            "coop_24pm_membership.mis_instance_be_balance_sheet",
            "coop_24pm_membership.mis_instance_be_profit_loss",
        ):
            cls.env.ref(xmlid).sudo().company_id = company
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.member.partner_id, amounts=[1000.0], invoice_date="2026-02-02", post=True
        )

    # -- helpers: what the web client asks when a menu is clicked -------------------------
    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            timeout=120,
        )

    def _open_action(self, xmlid):
        """Load the action, its views and the first page of its list; return the rows."""
        action = self.make_jsonrpc_request("/web/action/load", {"action_id": xmlid})
        self.assertEqual(action["type"], "ir.actions.act_window", xmlid)
        model = action["res_model"]
        views = [[view_id or False, view_type] for view_id, view_type in action["views"]]
        result = self._call(model, "get_views", views=views, options={"load_filters": True, "action_id": action["id"]})
        list_arch = result["views"].get("list", {}).get("arch")
        fields_info = result["models"][model]["fields"]
        spec = {"display_name": {}}
        if list_arch:
            for node in etree.fromstring(list_arch).iter("field"):
                name = node.get("name")
                if name in fields_info:
                    relational = fields_info[name]["type"] in ("many2one", "many2many", "one2many")
                    spec[name] = {"fields": {"display_name": {}}} if relational else {}
        context = action.get("context") or {}
        domain = action.get("domain") or []
        if isinstance(context, str) or isinstance(domain, str):
            # evaluated by the web client; none of the README's actions need the user's context
            context, domain = {}, ([] if isinstance(domain, str) else domain)
        return self._call(model, "web_search_read", domain=domain, specification=spec, limit=80)["records"]

    # -- the README's screens, per login --------------------------------------------------
    def test_staff_lands_on_memberships_and_opens_members_plans_work(self):
        self.authenticate("first.staff", "first-staff-pass")
        rows = self._open_action("coop_24pm_membership.coop_membership_action")
        self.assertIn(self.member.id, [row["id"] for row in rows])
        for xmlid in (
            "coop_24pm_membership.res_partner_action_coop",
            "coop_24pm_plans.coop_plan_action",
            "coop_24pm_timesheet_billing.coop_timesheet_action",
            "account.action_move_out_invoice_type",
        ):
            with self.subTest(screen=xmlid):
                self._open_action(xmlid)

    def test_accountant_opens_the_oca_reports_with_their_rows(self):
        self.authenticate("first.accountant", "first-accountant-pass")
        rows = self._open_action("mis_builder.mis_report_instance_view_action")
        names = {row["display_name"] for row in rows}
        self.assertLessEqual(
            {"Cooperative management report", "Belgian balance sheet (abridged)", "Belgian profit and loss (abridged)"},
            names,
        )
        for xmlid, label in (
            ("coop_24pm_timesheet_billing.mis_instance_coop_management", "Members"),
            ("coop_24pm_membership.mis_instance_be_balance_sheet", "TOTAL"),
        ):
            with self.subTest(report=xmlid):
                matrix = self._call("mis.report.instance", "compute", [self.env.ref(xmlid).id])
                labels = [row["label"] for row in matrix["body"]]
                self.assertIn(label, " | ".join(labels).upper() if label.isupper() else " | ".join(labels))
        partner = self.member.partner_id.name
        for wizard_model, report_name, expected in (
            ("trial.balance.report.wizard", "account_financial_report.trial_balance", "1,211.00"),
            ("general.ledger.report.wizard", "account_financial_report.general_ledger", "1,211.00"),
            ("aged.partner.balance.report.wizard", "account_financial_report.aged_partner_balance", partner),
            ("open.items.report.wizard", "account_financial_report.open_items", partner),
        ):
            with self.subTest(report=report_name):
                vals = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
                if wizard_model in ("aged.partner.balance.report.wizard", "open.items.report.wizard"):
                    # as the wizard's "Receivable Accounts Only" box fills the accounts
                    receivable = self.company_data["default_account_receivable"]
                    vals = {"date_at": "2026-12-31", "receivable_accounts_only": True, "account_ids": [receivable.id]}
                wizard_id = self._call(wizard_model, "create", vals)
                action = self._call(wizard_model, "button_export_html", [wizard_id])
                self.assertEqual(action["type"], "ir.actions.report")
                page = self.url_open(
                    f"/report/html/{report_name}/{wizard_id}?options=" + json.dumps(action["data"], default=str),
                    timeout=120,
                )
                self.assertEqual(page.status_code, 200)
                self.assertTrue(expected in page.text, f"{expected} missing from {report_name}")

    def test_admin_prints_without_the_document_layout_dialog(self):
        """The layout is saved at install: no report opens "Configure your document layout"."""
        company = self.env.company
        self.assertEqual(company.external_report_layout_id, self.env.ref("web.external_layout_standard"))
        self.assertFalse(company.uses_default_logo)
        wizard = self.env["aged.partner.balance.report.wizard"].create(
            {"date_at": "2026-12-31", "receivable_accounts_only": True}
        )
        action = wizard.with_user(self.env.ref("base.user_admin")).button_export_html()
        self.assertEqual(action["type"], "ir.actions.report")

    def test_agent_opens_membership_plan_trust_work_and_invoices(self):
        self.authenticate("agent.first@example.com", "agent-first-pass")
        member = self.member
        for url in (
            "/my",
            f"/my/membership/{member.id}",
            "/my/plan",
            f"/my/membership/{member.id}/trust",
            f"/my/membership/{member.id}/work",
            "/my/invoices",
            f"/my/invoices/{self.invoice.id}",
        ):
            with self.subTest(url=url):
                page = self.url_open(url)
                self.assertEqual(page.status_code, 200)
                self.assertTrue(page.url.endswith(url), f"{url} -> {page.url}")
                self.assertNotIn("Proforma", page.text)
                title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1).strip()
                self.assertNotEqual(title, "Odoo")
