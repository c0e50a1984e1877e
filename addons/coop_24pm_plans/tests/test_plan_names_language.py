from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanNamesInTheUsersLanguage(CoopPlansCommon):
    """Issue 22: plan names in the user's language, one language at a time (the 2021 plans
    were named in French for everyone, the 2023 ones in English)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_BE", "nl_BE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["coop_24pm_plans"], ["fr_BE", "nl_BE"])
        cls.plans = (
            cls.simple_2023
            | cls.basic_2021
            | cls.basic_2023
            | cls.standard_2021
            | cls.standard_2023
            | cls.partner_2021
            | cls.partner_2023
        )

    def _names(self, lang):
        return self.plans.with_context(lang=lang).mapped("name")

    def test_plan_names_in_english(self):
        self.assertEqual(
            self._names("en_US"),
            ["Simple Customer Access", "Basic", "Basic", "Standard", "Standard", "Partner", "Partner"],
        )

    def test_plan_names_in_french(self):
        self.assertEqual(
            self._names("fr_BE"),
            ["Accès client simple", "Basique", "Basique", "Standard", "Standard", "Partenaire", "Partenaire"],
        )
        self.assertEqual(self.basic_2021.with_context(lang="fr_BE").display_name, "Basique (ROI 2021)")

    def test_plan_names_in_dutch(self):
        self.assertEqual(
            self._names("nl_BE"),
            ["Eenvoudige klanttoegang", "Basis", "Basis", "Standaard", "Standaard", "Partner", "Partner"],
        )
        self.assertEqual(self.basic_2021.with_context(lang="nl_BE").display_name, "Basis (HR 2021)")

    def test_plan_products_follow(self):
        product = self.basic_2021.product_id
        self.assertEqual(product.with_context(lang="fr_BE").name, "Cotisation - Basique (ROI 2021)")
        self.assertEqual(product.with_context(lang="nl_BE").name, "Bijdrage - Basis (HR 2021)")
