from datetime import date

from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanContractTemplate(CoopPlansCommon):
    """Issue 21.2: the plans' recurrences are OCA ``contract``'s: each plan points to a
    ``contract.template``, the members' contracts are built from it and a plan change
    links the new line to the line it follows."""

    def test_each_plan_points_to_its_template(self):
        # the shipped plans and their templates belong to the company they were installed in
        template = self.basic_2023.sudo().contract_template_id
        self.assertTrue(template)
        self.assertRecordValues(
            template.contract_line_ids.sorted("sequence"),
            [
                {
                    "coop_kind": "plan",
                    "product_id": self.basic_2023.product_id.id,
                    "price_unit": 300.0,
                    "recurring_rule_type": "monthly",
                    "recurring_interval": 1,
                    "recurring_invoicing_type": "pre-paid",
                },
                {
                    "coop_kind": "annual_fee",
                    "product_id": self.env.ref("coop_24pm_plans.product_annual_fee").id,
                    "price_unit": 50.0,
                    "recurring_rule_type": "yearly",
                    "recurring_interval": 1,
                    "recurring_invoicing_type": "pre-paid",
                },
            ],
        )
        # the template follows the plan
        self.basic_2023.monthly_fee = 320.0
        self.assertEqual(template.contract_line_ids.filtered(lambda t: t.coop_kind == "plan").price_unit, 320.0)

    def test_new_plan_gets_its_template(self):
        plan = self.env["coop.plan"].create(
            {
                "name": "Premium",
                "code": "premium_2023",
                "regulation_id": self.roi_2023.id,
                "rank": 50,
                "monthly_fee": 2000.0,
                "product_id": self.partner_2023.product_id.id,
            }
        )
        self.assertEqual(plan.contract_template_id.company_id, self.env.company)
        self.assertEqual(plan.contract_template_id.name, "Premium")
        self.assertEqual(
            plan.contract_template_id.contract_line_ids.filtered(lambda t: t.coop_kind == "plan").price_unit, 2000.0
        )

    def test_member_contract_built_from_the_plan_template(self):
        member = self._make_plan_member("Template SRL", self.standard_2023, "2026-04-01")
        contract = member.contract_id
        self.assertEqual(contract.contract_template_id, self.standard_2023.contract_template_id)
        self.assertRecordValues(
            contract.contract_line_ids.sorted("id"),
            [
                {
                    "coop_kind": "plan",
                    "product_id": self.standard_2023.product_id.id,
                    "price_unit": 600.0,
                    "recurring_rule_type": "monthly",
                    "recurring_next_date": date(2026, 4, 1),
                },
                {
                    "coop_kind": "annual_fee",
                    "product_id": self.env.ref("coop_24pm_plans.product_annual_fee").id,
                    "price_unit": 50.0,
                    "recurring_rule_type": "yearly",
                    "recurring_next_date": date(2026, 4, 1),
                },
            ],
        )

    def test_annual_commitment_invoiced_yearly_from_the_template(self):
        member = self._make_plan_member("Yearly Template SRL", self.basic_2023, "2026-01-01", commitment="annual")
        line = member.contract_id._get_plan_line(date(2026, 1, 1))
        self.assertRecordValues(line, [{"recurring_rule_type": "yearly", "price_unit": 3000.0}])

    def test_plan_change_links_the_successor_line(self):
        member = self._make_plan_member("Successor SRL", self.standard_2023, "2026-04-01")
        self._run_contract_cron("2026-04-01")
        old_line = member.contract_id._get_plan_line(date(2026, 4, 1))
        self._request_change(member, self.partner_2023, "2026-04-12")
        new_line = member.contract_id._get_plan_line(date(2026, 4, 12))
        self.assertEqual(new_line.coop_plan_id, self.partner_2023)
        self.assertEqual(new_line.coop_predecessor_line_id, old_line)
        self.assertEqual(old_line.coop_successor_line_ids, new_line)
        self.assertEqual(old_line.date_end, date(2026, 4, 11))
