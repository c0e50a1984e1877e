"""Art. 8.4 (SPEC 5.1, FAQ "forfaits"): a fixed-price package for a turnkey solution is
invoiced on the acceptance of its milestones, never from its timesheets; the time spent
is still logged and valued for its margin."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestArt84FixedPricePackages(CoopBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.env.user.group_ids += ref("project.group_project_milestone") + ref("sales_team.group_sale_manager")
        cls.tax_21 = cls.company_data["default_tax_sale"]
        cls.package_product = cls.env["product.product"].create(
            {
                "name": "Turnkey website (package)",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "milestones",
                "service_tracking": "project_only",
                "list_price": 4800.0,
                "taxes_id": [Command.set(cls.tax_21.ids)],
            }
        )

    def _package(self, membership, price=4800.0):
        """A confirmed package of ``price`` for ``membership``: milestones Design (40 %) and
        Delivery (60 %)."""
        order = self.env["sale.order"].create(
            {
                "partner_id": membership.partner_id.id,
                "order_line": [
                    Command.create({"product_id": self.package_product.id, "product_uom_qty": 1, "price_unit": price})
                ],
            }
        )
        order.action_confirm()
        line = order.order_line
        project = line.project_id
        Milestone = self.env["project.milestone"]
        design = Milestone.search([("sale_line_id", "=", line.id)])
        if design:
            design.write({"name": "Design", "quantity_percentage": 0.4})
        else:
            design = Milestone.create(
                {"name": "Design", "project_id": project.id, "sale_line_id": line.id, "quantity_percentage": 0.4}
            )
        delivery = Milestone.create(
            {"name": "Delivery", "project_id": project.id, "sale_line_id": line.id, "quantity_percentage": 0.6}
        )
        return line, design, delivery

    def test_art_8_4_package_invoiced_on_milestones_never_from_timesheets(self):
        self.assertEqual(self.tax_21.amount, 21.0)
        with freeze_time("2026-03-02"):
            line, design, delivery = self._package(self.member)
        project = line.project_id
        self.assertEqual(project.coop_membership_id, self.member)
        self.assertTrue(line._coop_is_package())
        build = self.env["project.task"].create({"name": "Build the website", "project_id": project.id})
        package_time = self._log(self.medior, 90, "2026-03-03", task=build) | self._log(
            self.senior, 120, "2026-03-04", task=build
        )
        regular_time = self._log(self.medior, 60, "2026-03-05")
        # logged and valued at the member's rates (Basique 38 %) for the package's margin
        self.assertRecordValues(
            package_time,
            [
                {"coop_is_package": True, "coop_billable_hours": 1.5, "coop_amount": 124.20},
                {"coop_is_package": True, "coop_billable_hours": 2.0, "coop_amount": 220.80},
            ],
        )
        self.assertFalse(regular_time.coop_is_package)

        # the billing run invoices the member's other work, none of the package's time
        invoice = self._invoice_members(self.member, "2026-03-20")
        self.assertEqual(len(invoice), 1)
        self.assertAlmostEqual(invoice.amount_untaxed, 82.80, places=2)
        self.assertEqual(regular_time.coop_invoice_id, invoice)
        self.assertFalse(package_time.coop_invoice_line_id)
        self.assertFalse(self._invoice_members(self.member, "2026-04-20"))
        self.assertFalse(package_time.coop_invoice_line_id)

        # accepting the milestones invoices 40 % then 60 % of the price (+21 % VAT)
        with freeze_time("2026-03-25"):
            design.toggle_is_reached(True)
        first = design.coop_invoice_id
        self.assertRecordValues(
            first,
            [
                {
                    "move_type": "out_invoice",
                    "state": "posted",
                    "partner_id": self.member.partner_id.id,
                    "coop_membership_id": self.member.id,
                    "amount_untaxed": 1920.00,
                    "amount_tax": 403.20,
                    "amount_total": 2323.20,
                }
            ],
        )
        self.assertEqual(str(first.invoice_date), "2026-03-25")
        with freeze_time("2026-04-15"):
            delivery.toggle_is_reached(True)
        second = delivery.coop_invoice_id
        self.assertRecordValues(
            second,
            [{"state": "posted", "amount_untaxed": 2880.00, "amount_tax": 604.80, "amount_total": 3484.80}],
        )
        self.assertNotEqual(first, second)
        self.assertEqual(line.qty_invoiced, 1.0)
        self.assertAlmostEqual(first.amount_untaxed + second.amount_untaxed, 4800.00, places=2)
        # still never billed from the time spent
        self.assertFalse(self._invoice_members(self.member, "2026-05-20"))
        self.assertFalse(package_time.coop_invoice_line_id)

    def test_art_8_4_milestones_never_exceed_the_price(self):
        with freeze_time("2026-03-02"):
            line, design, _delivery = self._package(self.member)
        count = self.env["project.milestone"].search_count([("sale_line_id", "=", line.id)])
        with self.assertRaises(ValidationError) as caught:
            self.env["project.milestone"].create(
                {"name": "Extra", "project_id": line.project_id.id, "sale_line_id": line.id, "quantity_percentage": 0.1}
            )
        self.assertIn("Art. 8.4", str(caught.exception))
        self.assertEqual(self.env["project.milestone"].search_count([("sale_line_id", "=", line.id)]), count)
        with self.assertRaises(ValidationError):
            design.quantity_percentage = 0.5
        self.assertAlmostEqual(design.quantity_percentage, 0.4)

    def test_art_8_4_an_invoiced_milestone_is_not_reopened(self):
        with freeze_time("2026-03-02"):
            _line, design, _delivery = self._package(self.member)
        with freeze_time("2026-03-25"):
            design.toggle_is_reached(True)
        invoice = design.coop_invoice_id
        with self.assertRaises(UserError) as caught:
            design.toggle_is_reached(False)
        self.assertIn("Art. 8.4", str(caught.exception))
        self.assertTrue(design.is_reached)
        self.assertEqual(invoice.state, "posted")

    def test_art_8_4_only_a_member_given_new_work_orders_a_package(self):
        suspended = self._make_billing_member("Suspendue SRL")
        suspended.action_suspend(reason="Art. 4.3: data not corrected")
        order = self.env["sale.order"].create(
            {
                "partner_id": suspended.partner_id.id,
                "order_line": [Command.create({"product_id": self.package_product.id, "price_unit": 4800.0})],
            }
        )
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertIn("Art. 8.4", str(caught.exception))
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.order_line.project_id)
        # a customer without membership buys it as any Odoo sale: no member project
        prospect = self._make_company("Prospect Forfait SRL")
        order = self.env["sale.order"].create(
            {
                "partner_id": prospect.id,
                "order_line": [Command.create({"product_id": self.package_product.id, "price_unit": 4800.0})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.order_line.project_id.coop_membership_id)
