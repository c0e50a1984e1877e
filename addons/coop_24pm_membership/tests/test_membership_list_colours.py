from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-20")
class TestMembershipListColours(CoopCommon):
    """Issue 22, a backend that explains: each colour of the membership list has one meaning,
    named in its "Needs attention" column and found by its filter: red a late payment,
    orange a suspension; blue an application waiting for staff, in the applications' list
    (issue 15: an application is not a membership)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        late_company = cls._make_company("Colour Late SRL")
        cls.suspended_company = cls._make_company("Colour Suspended SRL")
        with freeze_time("2025-12-01"):
            # invoiced on 1 December, due on the 11th, still unpaid on 20 January
            cls.late_invoice = cls._post_unpaid_invoice(late_company, 100.0)
        with freeze_time("2026-01-20"):
            cls.late = cls._make_member(late_company)
            cls.suspended = cls._make_member(cls.suspended_company)
            cls.suspended.action_suspend("Unpaid")
            cls.waiting = cls._make_application(cls._make_company("Colour Waiting SRL", country="it"))
            cls.followup = cls._make_member(cls._make_company("Colour Follow-up SRL"))
            cls.followup.needs_followup = True
            cls.calm = cls._make_member(cls._make_company("Colour Calm SRL"))
        cls.members = cls.late | cls.suspended | cls.followup | cls.calm

    @classmethod
    def _post_unpaid_invoice(cls, partner, amount):
        return cls.init_invoice(
            "out_invoice", partner=partner, amounts=[amount], invoice_date=fields.Date.today(), post=True
        )

    def test_each_row_says_why_it_is_coloured(self):
        self.assertEqual(self.members.mapped("attention"), ["late", "suspended", "followup", False])
        self.assertRecordValues(self.waiting, [{"acceptance": "pending", "attention": "waiting"}])

    def test_late_payment_comes_before_the_other_reasons(self):
        with freeze_time("2025-12-01"):
            self._post_unpaid_invoice(self.suspended_company, 50.0)
        self.assertEqual(self.suspended.attention, "late")

    def test_a_paid_invoice_is_no_longer_late(self):
        invoice = self.late_invoice
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": "2026-01-20"}
        )._create_payments()
        self.late.invalidate_recordset(["attention"])
        self.assertFalse(self.late.attention)

    def test_filters_find_the_coloured_rows(self):
        Membership = self.env["coop.membership"]
        scope = [("id", "in", self.members.ids)]
        self.assertEqual(Membership.search([*scope, ("attention", "=", "late")]), self.late)
        self.assertEqual(Membership.search([*scope, ("attention", "=", "suspended")]), self.suspended)
        self.assertEqual(
            Membership.search([*scope, ("attention", "!=", False)]), self.late | self.suspended | self.followup
        )
        Application = self.env["coop.membership.application"]
        self.assertEqual(
            Application.search([("partner_id", "=", self.waiting.partner_id.id), ("attention", "=", "waiting")]),
            self.waiting,
        )
        self.assertEqual(Membership.search([*scope, ("attention", "=", False)]), self.calm)

    def test_the_list_names_its_colours(self):
        arch = self.env["coop.membership"].get_view(self.env.ref("coop_24pm_membership.coop_membership_view_list").id)[
            "arch"
        ]
        self.assertIn("decoration-danger=\"attention == 'late'\"", arch)
        self.assertIn("decoration-warning=\"attention == 'suspended'\"", arch)
        self.assertIn('name="attention"', arch)
        application_arch = self.env["coop.membership.application"].get_view(
            self.env.ref("coop_24pm_membership.coop_membership_application_view_list").id
        )["arch"]
        self.assertIn("decoration-info=\"attention == 'waiting'\"", application_arch)
        self.assertNotIn("needs_followup", arch.split("<field")[0], "no colour for a reason the list does not name")
        help_text = self.env["coop.membership"].fields_get(["attention"])["attention"]["help"]
        self.assertIn(
            "red, a payment of the member is late (an invoice past its due date, the guarantee unpaid", help_text
        )
