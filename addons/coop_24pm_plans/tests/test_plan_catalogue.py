from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanCatalogue(CoopPlansCommon):
    def test_seven_plans_of_spec_3_1(self):
        plans = self.env["coop.plan"].search([("regulation_id", "in", (self.roi_2021 | self.roi_2023).ids)])
        self.assertEqual(len(plans), 7)
        self.assertRecordValues(
            self.basic_2021 | self.standard_2021 | self.partner_2021,
            [
                {
                    "margin": 0.38,
                    "request_delay_days": 15,
                    "meeting_quota": 2,
                    "meeting_period": "quarter",
                    "request_handling": "delay",
                    "meetings_unlimited": False,
                    "trial_months": 0,
                },
                {
                    "margin": 0.15,
                    "request_delay_days": 5,
                    "meeting_quota": 2,
                    "meeting_period": "month",
                    "request_handling": "delay",
                    "meetings_unlimited": False,
                    "trial_months": 0,
                },
                {
                    "margin": 0.0,
                    "request_delay_days": 0,
                    "meeting_quota": 0,
                    "meeting_period": "month",
                    "request_handling": "priority",
                    "meetings_unlimited": True,
                    "trial_months": 6,
                },
            ],
        )
        self.assertEqual(self.partner_2021.trial_fallback_plan_id, self.standard_2021)
        self.assertRecordValues(
            self.simple_2023 | self.basic_2023 | self.standard_2023 | self.partner_2023,
            [
                {
                    "margin": 0.5,
                    "request_handling": "none",
                    "meeting_quota": 0,
                    "meeting_max_hours": 0.0,
                    "has_shared_services": False,
                    "meetings_unlimited": False,
                    "free_study_reports": 0,
                },
                {
                    "margin": 0.38,
                    "request_handling": "delay",
                    "meeting_quota": 1,
                    "meeting_max_hours": 2.5,
                    "has_shared_services": True,
                    "meetings_unlimited": False,
                    "free_study_reports": 0,
                },
                {
                    "margin": 0.15,
                    "request_handling": "delay",
                    "meeting_quota": 2,
                    "meeting_max_hours": 2.5,
                    "has_shared_services": True,
                    "meetings_unlimited": False,
                    "free_study_reports": 0,
                },
                {
                    "margin": 0.0,
                    "request_handling": "agreement",
                    "meeting_quota": 0,
                    "meeting_max_hours": 0.0,
                    "has_shared_services": True,
                    "meetings_unlimited": True,
                    "free_study_reports": 2,
                },
            ],
        )
        self.assertEqual(set((self.basic_2023 | self.standard_2023).mapped("study_report_hours")), {10.0})
        # ranks: Simple < Basic < Standard < Partner
        self.assertEqual(self.basic_2023._get_higher_plans(), self.standard_2023 | self.partner_2023)

    def test_plan_must_belong_to_the_member_regulation(self):
        partner = self._make_company("Wrong Regime SRL")
        with self.assertRaises(ValidationError):
            self._make_application(partner, self.roi_2023, plan_id=self.standard_2021.id)
        self.assertFalse(self.env["coop.membership.application"].search([("partner_id", "=", partner.id)]))

    def test_negative_fee_refused(self):
        with self.assertRaises(ValidationError):
            self.basic_2023.monthly_fee = -1.0
