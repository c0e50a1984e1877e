from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestVatAndAcceptance(CoopCommon):
    def test_dutch_company_auto_accepted(self):
        application = self._make_application(self._make_company("Bakkerij BV", "nl", vat="NL000099998B57"))
        self.assertEqual(application.acceptance, "auto")
        self.assertFalse(application.activity_ids)

    def test_swiss_company_waits_for_staff(self):
        application = self._make_application(self._make_company("Horlogerie SA", "ch"))
        self.assertEqual(application.acceptance, "pending")
        self.assertEqual(application.activity_ids.summary, "Review the application of a company outside BE/FR/DE/LU/NL")
        application.action_send_contract()
        application.action_sign("2026-02-01", "Anne Favre", "Administratrice", True)
        with self.assertRaisesRegex(UserError, "staff must accept"):
            application.action_conclude("2026-02-02")
        self.assertFalse(application.membership_id)
        application.action_accept()
        self.assertRecordValues(application.membership_id, [{"state": "registered", "application_id": application.id}])

    def test_swiss_company_refused(self):
        application = self._make_application(self._make_company("Refus SA", "ch"))
        application.action_refuse("Outside our service area")
        self.assertRecordValues(
            application, [{"acceptance": "refused", "state": "refused", "refusal_reason": "Outside our service area"}]
        )
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", application.partner_id.id)]))

    def test_invalid_vat_refused_with_clear_message(self):
        partner = self.env["res.partner"].create(
            {"name": "Faux SRL", "is_company": True, "country_id": self.env.ref("base.be").id}
        )
        # base_vat may refuse it first on the partner; either way nothing is created
        with self.assertRaisesRegex(ValidationError, "(not|does not seem to) be valid|is not valid"):
            with self.env.cr.savepoint():
                partner.vat = "BE0477472702"
                self._make_application(partner)
        self.assertFalse(self.env["coop.membership.application"].search([("partner_id", "=", partner.id)]))

    def test_vat_required_unless_not_incorporated(self):
        partner = self.env["res.partner"].create(
            {"name": "Sans TVA SRL", "is_company": True, "country_id": self.env.ref("base.be").id}
        )
        with self.assertRaisesRegex(ValidationError, "not yet incorporated"):
            self._make_application(partner)
        partner.coop_not_incorporated = True
        self.assertRecordValues(self._make_application(partner), [{"state": "draft", "partner_id": partner.id}])

    def test_vies_fills_legal_name_and_address(self):
        partner = self._make_company("brasserie", vat="BE0477472701")
        answer = {"valid": True, "name": "BRASSERIE DU PARC SRL", "address": "RUE DU PARC 12\n1000 BRUXELLES"}
        with patch("stdnum.eu.vat.check_vies", return_value=answer) as remote:
            partner.action_coop_check_vies()
        remote.assert_called_once_with("BE0477472701")
        self.assertRecordValues(
            partner, [{"name": "BRASSERIE DU PARC SRL", "street": "RUE DU PARC 12", "zip": "1000", "city": "BRUXELLES"}]
        )
        self.assertTrue(partner.coop_vies_date)

    def test_vies_unreachable_changes_nothing(self):
        partner = self._make_company("Hors Ligne SRL", vat="BE0477472701")
        with patch("stdnum.eu.vat.check_vies", side_effect=OSError("network down")):
            with self.assertRaisesRegex(UserError, "could not be reached"):
                partner.action_coop_check_vies()
        self.assertEqual(partner.name, "Hors Ligne SRL")
        self.assertFalse(partner.coop_vies_date)
