import random
from collections import defaultdict
from datetime import date, timedelta

from odoo.tests import tagged
from odoo.tools import float_compare, float_round

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestOneRoundingPath(CoopBillingCommon):
    """Issue 14.8: the upcoming invoice shown to the member (portal work page, trust
    account, membership form) and the invoice then issued are computed by the same
    function (``coop.billing.run.line._price_service_invoice``) and agree to the cent,
    on real plans (38 %, 15 %, 0 % margins and a plan change), several group rates
    (one changing on 1 June) and 1,200 random timesheet entries."""

    ENTRIES = 1200
    SEED = 24

    @classmethod
    def _make_real_member(cls, name, plan, start="2026-03-02"):
        membership = cls._make_billing_member(name, plan, start=start)
        tasks = cls.env["project.task"].create(
            [
                {"name": f"Task {n}", "project_id": cls.env["project.project"]._coop_projects_of(membership).id}
                for n in range(3)
            ]
        )
        return membership, tasks

    def test_upcoming_invoice_equals_the_invoice_issued(self):
        rng = random.Random(self.SEED)
        members = {
            "Basique 2021 (38 %)": self._make_real_member("Rounding Basique", self.basic_2021),
            "Standard 2021 (15 %)": self._make_real_member("Rounding Standard", self.standard_2021),
            "Standard 2023 to Partner 2023": self._make_real_member("Rounding Upgrade", self.standard_2023),
            "Partner 2023 (0 %)": self._make_real_member("Rounding Partner", self.partner_2023),
        }
        upgrade = members["Standard 2023 to Partner 2023"][0]
        self._run_contract_cron("2026-03-02")
        self._request_change(upgrade, self.partner_2023, "2026-05-12")
        collaborators = (self.junior, self.medior, self.senior)
        first_day = date(2026, 5, 4)  # the senior rate changes on 1 June; the plan on 12 May
        vals = []
        for _n in range(self.ENTRIES):
            membership, tasks = members[rng.choice(sorted(members))]
            task = rng.choice(tasks)
            vals.append(
                {
                    "name": "Work",
                    "employee_id": rng.choice(collaborators).id,
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "unit_amount": rng.randint(1, 480) / 60.0,
                    "date": first_day + timedelta(days=rng.randint(0, 45)),
                }
            )
        lines = self.env["account.analytic.line"].create(vals)
        self.assertEqual(len(lines), self.ENTRIES)
        # materials re-billed with the plan's margin, at prices with cents
        for membership, _tasks in members.values():
            self.env["coop.expense"].create(
                [
                    {
                        "membership_id": membership.id,
                        "name": "material",
                        "expense_type": "material",
                        "quantity": rng.randint(1, 5),
                        "unit_cost": rng.randint(100, 99999) / 100.0,
                        "date": first_day + timedelta(days=rng.randint(0, 45)),
                    }
                    for _n in range(3)
                ]
            )
        memberships = self.env["coop.membership"].browse([m.id for m, _t in members.values()])
        self.assertEqual(
            sorted(set(lines.mapped("coop_margin"))), [0.0, 0.15, 0.38], "every margin is among the entries"
        )
        self.assertEqual(sorted(set(lines.mapped("coop_rate"))), [45.0, 60.0, 80.0, 85.0])

        shown = {membership: membership._get_uninvoiced_amount() for membership in memberships}
        # staff: the trust account report opened from the member's form
        on_form = {
            membership: self.env["coop.trust.account"].browse(membership.id).trust_next_invoice
            for membership in memberships
        }
        # what adding up each entry rounded on its own gives: the figure the portal showed before
        per_entry = defaultdict(float)
        for line in lines:
            per_entry[line.coop_membership_id] += line.coop_amount
        for expense in self.env["coop.expense"].search([("membership_id", "in", memberships.ids)]):
            per_entry[expense.membership_id] += expense.amount

        invoices = self._invoice_members(memberships.with_context(tracking_disable=True), date(2026, 6, 20))
        self.assertEqual(len(invoices), 4)
        differs = 0
        for membership in memberships:
            invoice = invoices.filtered(lambda move, m=membership: move.coop_membership_id == m)
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(
                float_compare(shown[membership], invoice.amount_untaxed, precision_digits=2),
                0,
                f"{membership.name}: shown {shown[membership]:.2f}, invoiced {invoice.amount_untaxed:.2f}",
            )
            self.assertEqual(float_compare(on_form[membership], invoice.amount_untaxed, precision_digits=2), 0)
            differs += float_compare(float_round(per_entry[membership], 2), invoice.amount_untaxed, 2) != 0
            self.assertEqual(membership._get_uninvoiced_amount(), 0.0)
        # the test would have caught the old path: per-entry rounding misses by cents
        self.assertGreater(differs, 0)
        # the upgraded member's invoice splits the margin between its two plans
        upgrade_invoice = invoices.filtered(lambda move: move.coop_membership_id == upgrade)
        margin_lines = upgrade_invoice.invoice_line_ids.filtered(lambda aml: aml.coop_line_kind == "margin")
        self.assertEqual(margin_lines.coop_plan_id, self.standard_2023)

    def test_forty_junior_entries_rounded_once(self):
        """Forty quarter hours of a junior at EUR 45 x 1.38 (EUR 15.525 each): the figure
        shown is the invoice's, not the sum of entries rounded one by one."""
        membership, tasks = self._make_real_member("Rounding Portal", self.basic_2021)
        rng = random.Random(self.SEED + 1)
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "employee_id": self.junior.id,
                    "project_id": tasks[0].project_id.id,
                    "task_id": tasks[0].id,
                    "unit_amount": rng.randint(1, 90) / 60.0,
                    "date": date(2026, 5, 4) + timedelta(days=n % 20),
                }
                for n in range(40)
            ]
        )
        shown = membership._get_uninvoiced_amount()
        per_entry = float_round(
            sum(self.env["project.project"]._coop_projects_of(membership).timesheet_ids.mapped("coop_amount")), 2
        )
        invoice = self._invoice_members(membership, date(2026, 6, 1))
        self.assertEqual(float_compare(shown, invoice.amount_untaxed, precision_digits=2), 0)
        # 40 junior entries at EUR 45 x 1.38, each rounded to the cent, do not add up to the invoice
        self.assertNotEqual(float_compare(per_entry, invoice.amount_untaxed, precision_digits=2), 0)
