"""Art. 4.6, issue 21: a plan change asked or confirmed by an agent needs the finance
right and stays within the amount limit of its mandate, refused in the model."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CoopPlansCommon

NO_FINANCE = "Your mandate does not include the finance right needed to change the plan."


@tagged("post_install", "-at_install")
class TestPlanChangeFinanceRight(CoopPlansCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.member = cls._make_plan_member("Plan Droit SRL", cls.basic_2023, "2026-01-05")
        firm = cls.member.partner_id
        cls.paul = Partner._coop_create_agent(
            firm, "Paul Projets", "paul@plan-droit.example.com", finance=False, projects=True
        )
        cls.lena = Partner._coop_create_agent(firm, "Lena Limite", "lena@plan-droit.example.com", limit_amount=500.0)
        cls.fanny = Partner._coop_create_agent(firm, "Fanny Finance", "fanny@plan-droit.example.com")

    def _changes(self):
        return self.env["coop.plan.change"].search([("membership_id", "=", self.member.id)])

    def _ask(self, user, plan):
        return self.env["coop.plan.change"].create(
            {"membership_id": self.member.id, "new_plan_id": plan.id, "origin": "member", "requested_by_id": user.id}
        )

    def test_art_4_6_request_refused_without_the_finance_right(self):
        with freeze_time("2026-02-10"):
            with self.assertRaisesRegex(UserError, NO_FINANCE):
                self._ask(self.paul, self.standard_2023)
            with self.assertRaisesRegex(UserError, "exceeds the limit of your mandate"):
                self._ask(self.lena, self.standard_2023)
        self.assertFalse(self._changes())
        with freeze_time("2026-02-10"):
            self.assertEqual(self._ask(self.lena, self.simple_2023).requested_by_id, self.lena)

    def test_art_4_6_confirmation_by_an_agent_needs_the_finance_right(self):
        with freeze_time("2026-02-10"):
            change = self._ask(self.fanny, self.standard_2023)
            with self.assertRaisesRegex(UserError, NO_FINANCE):
                change.action_member_confirm(self.paul)
            self.assertEqual(change.state, "requested")
            change.action_member_confirm(self.fanny)
        # an upgrade of a monthly commitment takes effect on its confirmation (SPEC 3.2)
        self.assertRecordValues(change, [{"state": "applied", "date_effective": fields.Date.to_date("2026-02-10")}])
        with self.assertRaisesRegex(UserError, "This plan change is no longer waiting for a confirmation."):
            change.action_member_confirm()
