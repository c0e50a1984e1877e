from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CoopPlansCommon

SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestJoinPlan(CoopPlansCommon, HttpCase):
    """SPEC 2.1.3: online, the company picks a plan of the current regulation and its commitment."""

    def _founder(self, login, name, vat=None):
        user = new_test_user(self.env, login, groups="base.group_portal", password=f"{login}-pass")
        self.env["coop.membership.application"]._coop_join_company(
            user, not_incorporated=True, company_name=name, country_code="BE"
        )
        return user

    def test_plan_step_sits_between_company_and_contract(self):
        user = self._founder("plan_steps", "Étapes SRL")
        steps = self.env["coop.membership.application"].with_user(user)._coop_join_steps()
        keys = [step["key"] for step in steps]
        self.assertLess(keys.index("company"), keys.index("plan"))
        self.assertLess(keys.index("plan"), keys.index("contract"))
        plans = self.env["coop.membership.application"]._coop_join_plans()
        self.assertIn(self.basic_2023, plans)
        self.assertNotIn(self.basic_2021, plans, "only the current regulation's plans are offered")

    def test_plan_of_another_regulation_refused(self):
        user = self._founder("plan_refused", "Refus Plan SRL")
        company = user.partner_id.parent_id
        with self.assertRaisesRegex(UserError, "plans offered to new members"):
            self.env["coop.membership.application"]._coop_join_apply(
                user, {"plan_id": self.basic_2021.id, "commitment": "monthly"}
            )
        self.assertFalse(self.env["coop.membership.application"].search([("partner_id", "=", company.id)]))

    def test_annual_basic_chosen_online_starts_its_subscription(self):
        user = self._founder("plan_annual", "Annuel En Ligne SRL")
        application = self.env["coop.membership.application"]._coop_join_apply(
            user, {"plan_id": self.basic_2023.id, "commitment": "annual"}
        )
        self.assertRecordValues(
            application, [{"plan_id": self.basic_2023.id, "commitment": "annual", "regulation_id": self.roi_2023.id}]
        )
        application._coop_join_sign(user, "Nina New", "Gérante", True, SIGNATURE)
        membership = application.membership_id
        self.assertRecordValues(
            membership, [{"plan_id": self.basic_2023.id, "commitment": "annual", "regulation_id": self.roi_2023.id}]
        )
        if "join_payment_choice" in application._fields:
            # coop_24pm_guarantee installed: the payment step (mandate or prepayments) comes before the plan starts
            self.assertEqual(membership.state, "registered")
            application._coop_join_choose_prepayment(user)
        self.assertEqual(membership.state, "active")
        self.assertTrue(membership.contract_id, "the plan's subscription starts with the membership")

    def test_http_apply_with_plan(self):
        user = self._founder("plan_http", "Formulaire Plan SRL")
        self.authenticate(user.login, "plan_http-pass")
        page = self.url_open("/my/join")
        self.assertIn("o_coop_join_plans", page.text)
        for _click in range(2):  # a second click creates nothing
            self.url_open(
                "/my/join/apply",
                data={
                    "plan_id": self.standard_2023.id,
                    "commitment": "monthly",
                    "csrf_token": Request.csrf_token(self),
                },
            )
        application = self.env["coop.membership.application"].search(
            [("partner_id", "=", user.partner_id.parent_id.id)]
        )
        self.assertRecordValues(application, [{"plan_id": self.standard_2023.id, "state": "sent", "origin": "online"}])
