from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanChosenUnderRegulation(CoopPlansCommon):
    """SPEC 2.1.3, one rule for the application and the membership (issue 21): a plan is
    chosen among its regulation's plans, and a contribution is never negative."""

    def test_application_plan_of_another_regulation_refused(self):
        company = self._make_company("Autre Reglement SRL", vat="BE0477472701")
        with self.assertRaisesRegex(ValidationError, "The plan .* belongs to another regulation than ROI 2023"):
            self._make_application(company, plan_id=self.basic_2021.id)

    def test_negative_contribution_refused_on_both(self):
        application = self._make_application(
            self._make_company("Contribution SRL", vat="BE0477472701"), plan_id=self.basic_2023.id
        )
        with self.assertRaisesRegex(ValidationError, "A contribution cannot be negative."):
            application.contribution_amount = -1.0
        membership = self._make_member(self._make_company("Membre Contribution SRL", vat="BE0403170701"))
        with self.assertRaisesRegex(ValidationError, "A contribution cannot be negative."):
            membership.contribution_amount = -0.01
        with self.assertRaisesRegex(ValidationError, "The plan .* belongs to another regulation than ROI 2023"):
            membership.plan_id = self.basic_2021
