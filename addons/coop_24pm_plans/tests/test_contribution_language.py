from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestContributionLanguage(CoopPlansCommon):
    """SPEC 7.6: a contribution invoice speaks the member's language, its period in that
    language's date format, whoever runs the contract job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_BE", "nl_BE"):
            cls.env["res.lang"]._activate_lang(code)

    def _period_label(self, lang):
        member = self._make_plan_member(f"Langue {lang}", self.standard_2023, "2026-04-01")
        member.partner_id.lang = lang
        self._run_contract_cron("2026-04-01")
        line = self._invoices(member, "contribution").invoice_line_ids.filtered(
            lambda rec: rec.contract_line_id.coop_kind == "plan"
        )
        return line.name

    def test_french_member_gets_a_french_period(self):
        self.assertTrue(self._period_label("fr_BE").endswith(" - du 01/04/2026 au 30/04/2026"))

    def test_dutch_member_gets_a_dutch_period(self):
        self.assertTrue(self._period_label("nl_BE").endswith(" - van 01/04/2026 tot 30/04/2026"))

    def test_english_member_keeps_the_english_period(self):
        self.assertTrue(self._period_label("en_US").endswith(" - 04/01/2026 to 04/30/2026"))
