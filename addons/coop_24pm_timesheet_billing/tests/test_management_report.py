from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import float_compare

from odoo.addons.coop_24pm_plans.tests.common import CoopPlansCommon

from .common import BillingRunMixin

COMPANY_LOGGER = "odoo.addons.coop_24pm_membership.models.res_company"


@tagged("post_install", "-at_install")
class TestManagementReport(BillingRunMixin, CoopPlansCommon):
    """The cooperative management report (mis_builder) computed on data built here:
    margin, services and contributions per plan, members per plan, drill-down."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.env.user.group_ids += (
            ref("project.group_project_manager") + ref("hr.group_hr_user") + ref("hr_timesheet.group_timesheet_manager")
        )
        cls.service = ref("coop_24pm_timesheet_billing.product_coop_service_work")
        cls.env["coop.group.rate"].create(
            {
                "product_id": cls.service.id,
                "category_id": ref("coop_24pm_timesheet_billing.category_medior").id,
                "rate": 60.0,
                "date_from": "2020-01-01",
            }
        )
        cls.medior = cls.env["hr.employee"].create(
            {"name": "Marie Medior", "coop_category_id": ref("coop_24pm_timesheet_billing.category_medior").id}
        )
        cls.basic_2023.margin = 0.30
        cls.standard_2023.margin = 0.20
        cls.alpha = cls._make_plan_member("Alpha Basic SRL", cls.basic_2023, "2026-03-01")
        cls.gamma = cls._make_plan_member("Gamma Basic SRL", cls.basic_2023, "2026-03-01")
        cls.beta = cls._make_plan_member("Beta Standard SRL", cls.standard_2023, "2026-03-01")
        cls.tasks = {}
        for membership in cls.alpha | cls.beta | cls.gamma:
            project = cls.env["project.project"].create(
                {
                    "name": f"{membership.partner_id.name} - work",
                    "coop_membership_id": membership.id,
                    "coop_product_id": cls.service.id,
                    "allow_timesheets": True,
                }
            )
            cls.tasks[membership] = cls.env["project.task"].create({"name": "Work", "project_id": project.id})

    def _log(self, membership, minutes, on_date):
        task = self.tasks[membership]
        return self.env["account.analytic.line"].create(
            {
                "name": "Work",
                "employee_id": self.medior.id,
                "project_id": task.project_id.id,
                "task_id": task.id,
                "unit_amount": minutes / 60.0,
                "date": on_date,
            }
        )

    def _instance(self):
        report = self.env.ref("coop_24pm_timesheet_billing.mis_report_coop_management")
        return self.env["mis.report.instance"].create(
            {
                "name": "Management test",
                "report_id": report.id,
                "company_id": self.env.company.id,
                "target_move": "posted",
                "date": "2026-06-30",
                "comparison_mode": True,
                "period_ids": [
                    (0, 0, {"name": name, "mode": "relative", "type": "m", "coop_month_of_year": month})
                    for name, month in (("March", 3), ("April", 4))
                ],
            }
        )

    def _figures(self, instance):
        """{kpi name: [cell value per column]} and the cells, from mis_builder's matrix."""
        matrix = instance._compute_matrix()
        values, cells = {}, {}
        for row in matrix.iter_rows():
            if row.account_id:
                continue
            row_cells = list(row.iter_cells())
            values[row.kpi.name] = [(cell.val if cell and cell.val else 0.0) for cell in row_cells]
            cells[row.kpi.name] = row_cells
        return values, cells

    def _margin_parts(self, memberships, date_from, date_to):
        """Margin part of the service lines of these members invoiced in the month:
        billable hours x group rate x the plan's margin, per line."""
        lines = self.env["account.analytic.line"].search(
            [
                ("coop_membership_id", "in", memberships.ids),
                ("coop_invoice_line_id.move_id.date", ">=", date_from),
                ("coop_invoice_line_id.move_id.date", "<=", date_to),
            ]
        )
        return round(sum(line.coop_billable_hours * line.coop_rate * line.coop_margin for line in lines), 2)

    def _assert_money(self, actual, expected, msg=None):
        self.assertEqual(float_compare(actual, expected, precision_digits=2), 0, msg or f"{actual} != {expected}")

    def test_margin_per_plan_equals_margin_parts_of_service_lines(self):
        self._run_contract_cron("2026-03-01")
        self._run_contract_cron("2026-04-01")
        self._log(self.alpha, 10 * 60, "2026-03-05")  # 600.00 x 30 % = 180.00
        self._log(self.gamma, 150, "2026-03-06")  # 2.5 h
        self._log(self.gamma, 40, "2026-03-09")  # rounded up to 0.75 h: 3.25 h x 60 = 195.00 x 30 % = 58.50
        self._log(self.beta, 4 * 60, "2026-03-10")  # 240.00 x 20 % = 48.00
        self._invoice_members((self.alpha | self.beta | self.gamma), date(2026, 3, 20))
        self._log(self.alpha, 70, "2026-04-02")  # 1.25 h x 60 = 75.00 x 30 % = 22.50
        self._invoice_members(self.alpha, date(2026, 4, 10))
        self._log(self.beta, 30, "2026-04-20")  # not invoiced: 0.5 h x 60 x 1.20 = 36.00

        # the margin lines carry the plan and post to the plan's service income account
        margin_lines = self.env["account.move.line"].search(
            [("coop_line_kind", "=", "margin"), ("move_id.coop_membership_id", "=", self.alpha.id)]
        )
        self.assertEqual(margin_lines.coop_plan_id, self.basic_2023)
        self.assertEqual(margin_lines.account_id.code, "700100")

        values, cells = self._figures(self._instance())
        basic, standard = self.basic_2023.id, self.standard_2023.id
        march, april = (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 4, 30))
        expected = {
            f"margin_plan_{basic}": [180.0 + 58.50, 22.50],
            f"margin_plan_{standard}": [48.0, 0.0],
            "margin": [286.50, 22.50],
            f"services_plan_{basic}": [600.0 + 195.0, 75.0],
            f"services_plan_{standard}": [240.0, 0.0],
            # contributions: 300.00 per Basic member, 600.00 for Standard (annual fee apart)
            f"contributions_plan_{basic}": [600.0, 600.0],
            f"contributions_plan_{standard}": [600.0, 600.0],
            "uninvoiced_work": [0.0, 36.0],
        }
        for name, figures in expected.items():
            for column, figure in enumerate(figures):
                self._assert_money(values[name][column], figure, f"{name}, column {column}: {values[name][column]}")
        # the management report's margin per plan = the margin parts of the plan's members' service lines
        for plan, members in ((self.basic_2023, self.alpha | self.gamma), (self.standard_2023, self.beta)):
            for column, (date_from, date_to) in enumerate((march, april)):
                self._assert_money(
                    values[f"margin_plan_{plan.id}"][column], self._margin_parts(members, date_from, date_to)
                )
        self.assertEqual(values[f"members_plan_{basic}"], [2, 2])
        self.assertEqual(values[f"members_plan_{standard}"], [1, 1])
        self.assertEqual(values["members"], [3, 3])

    def test_drill_down_to_journal_items_and_records(self):
        self._log(self.alpha, 10 * 60, "2026-03-05")
        self._log(self.gamma, 60, "2026-03-06")
        self._invoice_members(self.alpha, date(2026, 3, 20))
        instance = self._instance()
        _values, cells = self._figures(instance)
        # accounting row: the journal items behind the margin of Basic in March
        cell = cells[f"margin_plan_{self.basic_2023.id}"][0]
        action = instance.drilldown(cell.drilldown_arg)
        self.assertEqual(action["res_model"], "account.move.line")
        items = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(items.coop_line_kind, "margin")
        self._assert_money(-sum(items.mapped("balance")), 180.0)
        # query rows: the plan lines of the members on Basic, the uninvoiced timesheets
        action = instance.drilldown(cells[f"members_plan_{self.basic_2023.id}"][0].drilldown_arg)
        self.assertEqual(action["res_model"], "contract.line")
        plan_lines = self.env["contract.line"].search(action["domain"])
        self.assertEqual(plan_lines.contract_id.coop_membership_id, self.alpha | self.gamma)
        action = instance.drilldown(cells["uninvoiced_work"][0].drilldown_arg)
        self.assertEqual(action["res_model"], "account.analytic.line")
        uninvoiced = self.env["account.analytic.line"].search(action["domain"])
        self.assertEqual(uninvoiced.coop_membership_id, self.gamma)
        self._assert_money(sum(uninvoiced.mapped("coop_amount")), 78.0)

    def test_new_plan_gets_its_rows(self):
        plan = self.basic_2023.copy({"name": "Basic Plus", "code": "basic_plus_2023"})
        report = self.env.ref("coop_24pm_timesheet_billing.mis_report_coop_management")
        names = set(report.kpi_ids.mapped("name"))
        for prefix in ("members", "contributions", "services", "margin"):
            self.assertIn(f"{prefix}_plan_{plan.id}", names)
        self.assertIn(f"q_plan_members_{plan.id}", report.query_ids.mapped("name"))

    def test_billing_run_in_locked_period_posts_nothing_into_it(self):
        self._log(self.alpha, 10 * 60, "2026-03-05")
        self.env.company.sudo().fiscalyear_lock_date = date(2026, 3, 31)
        invoices = self._invoice_members(self.alpha, date(2026, 3, 20))
        self.assertEqual(invoices.state, "posted")
        self.assertEqual(invoices.date, date(2026, 4, 1))
        self.assertEqual(invoices.invoice_date, date(2026, 3, 20))
        self.assertFalse(
            self.env["account.move.line"].search_count(
                [
                    ("move_id.coop_membership_id", "=", self.alpha.id),
                    ("date", "<=", "2026-03-31"),
                    ("move_id.coop_is_service_invoice", "=", True),
                ]
            )
        )
        self.assertIn("the period of 2026-03-20 is closed", invoices.message_ids.mapped("body")[0])

    def test_service_job_posts_nothing_until_configuration_complete(self):
        self._log(self.alpha, 10 * 60, "2026-03-05")
        Run = self.env["coop.billing.run"].with_context(coop_check_configuration=True)

        def run():
            billing_run = Run._create_due_run(date=date(2026, 3, 20))
            billing_run.action_process_now()
            return billing_run.line_ids.move_id

        capital = self.env.company.coop_capital_account_id
        self.env.company.coop_capital_account_id = self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(self.env.company), ("code", "=", "700000")]
        )
        with self.assertLogs(COMPANY_LOGGER, "WARNING") as logs, freeze_time("2026-03-20"):
            self.assertFalse(run())
        self.assertTrue(any("Cooperative service invoicing" in line for line in logs.output))
        facts = self.env["coop.service.pricing"]._get_due_facts(self.alpha)[self.alpha.id]
        self.assertFalse(facts["last_invoice"])
        self.env.company.coop_capital_account_id = capital
        with freeze_time("2026-03-20"):
            invoices = run()
        self.assertEqual(invoices.coop_membership_id, self.alpha)
        self._assert_money(invoices.amount_untaxed, 780.0)
