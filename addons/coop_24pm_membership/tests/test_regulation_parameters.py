from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestRegulationParameters(CoopCommon):
    """Issue 21: the delays, thresholds and country lists of the regulations are data
    (fields of ``coop.regulation``, shipped per regulation), read where they apply."""

    def test_shipped_values(self):
        codes = {"BE", "FR", "DE", "LU", "NL"}
        for regulation in self.roi_2021 | self.roi_2023 | self.env.ref("coop_24pm_membership.regulation_roi_2019"):
            self.assertEqual(set(regulation.auto_accept_country_ids.mapped("code")), codes, regulation.code)
            self.assertRecordValues(
                regulation, [{"join_reminder_days": 7, "vat_reminder_days": 30, "contest_days": 10}]
            )

    def test_countries_accepted_automatically_are_the_regulations(self):
        """SPEC 2.1.5: staff may add a country to a regulation; its companies then join
        without a staff decision, and a country taken off waits for staff."""
        swiss = self._make_company("Parametre Suisse SA", "ch")
        self.assertEqual(self._make_application(swiss).acceptance, "pending")
        self.roi_2023.auto_accept_country_ids |= self.env.ref("base.ch")
        self.roi_2023.auto_accept_country_ids -= self.env.ref("base.fr")
        swiss_later = self._make_company("Parametre Suisse Deux SA", "ch")
        self.assertEqual(self._make_application(swiss_later).acceptance, "auto")
        french = self._make_company("Parametre France SAS", "fr")
        application = self._make_application(french)
        self.assertEqual(application.acceptance, "pending")
        self.assertEqual(application.activity_ids.summary, "Review the application of a company outside BE/FR/DE/LU/NL")

    def test_vat_reminder_delay_is_the_regulations(self):
        """SPEC 2.1.8: a member joined while being incorporated is asked for its VAT number
        again after its regulation's delay."""
        with freeze_time("2026-03-01"):
            member = self._make_member(self._make_company("Parametre Sans TVA SRL"), date="2026-03-01")
            self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(member.partner_id.coop_date_vat_reminder, fields.Date.to_date("2026-03-01"))
        self.roi_2023.vat_reminder_days = 10
        with freeze_time("2026-03-10"):
            self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(
            member.partner_id.coop_date_vat_reminder, fields.Date.to_date("2026-03-01"), "not 9 days later"
        )
        with freeze_time("2026-03-11"):
            self.env["res.partner"]._coop_remind_vat()
        self.assertEqual(member.partner_id.coop_date_vat_reminder, fields.Date.to_date("2026-03-11"))
