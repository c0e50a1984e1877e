from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestVatAndAcceptance(CoopCommon):
    def test_dutch_company_auto_accepted(self):
        membership = self._make_membership(self._make_company("Bakkerij BV", "nl", vat="NL000099998B57"))
        self.assertEqual(membership.acceptance, "auto")
        self.assertFalse(membership.activity_ids)

    def test_swiss_company_waits_for_staff(self):
        membership = self._make_membership(self._make_company("Horlogerie SA", "ch"))
        self.assertEqual(membership.acceptance, "pending")
        self.assertTrue(membership.activity_ids, "staff get an activity to review the application")
        membership.action_send_contract()
        membership.action_sign("2026-02-01", "Anne Favre", "Administratrice", True)
        with self.assertRaisesRegex(UserError, "staff must accept"):
            membership.action_register("2026-02-02")
        self.assertFalse(membership.share_line_ids)
        membership.action_accept_application()
        membership.action_register("2026-02-02")
        self.assertEqual(membership.state, "registered")

    def test_swiss_company_refused(self):
        membership = self._make_membership(self._make_company("Refus SA", "ch"))
        membership.action_refuse_application("Outside our service area")
        self.assertRecordValues(
            membership,
            [
                {
                    "acceptance": "refused",
                    "state": "terminated",
                    "termination_type": "refused",
                    "non_solicitation_end": False,
                }
            ],
        )

    def test_invalid_vat_refused_with_clear_message(self):
        partner = self.env["res.partner"].create(
            {"name": "Faux SRL", "is_company": True, "country_id": self.env.ref("base.be").id}
        )
        # base_vat may refuse it first on the partner; either way nothing is created
        with self.assertRaisesRegex(ValidationError, "(not|does not seem to) be valid|is not valid"):
            with self.env.cr.savepoint():
                partner.vat = "BE0477472702"
                self._make_membership(partner)
        self.assertFalse(self.env["coop.membership"].search([("partner_id", "=", partner.id)]))

    def test_vat_required_unless_not_incorporated(self):
        partner = self.env["res.partner"].create(
            {"name": "Sans TVA SRL", "is_company": True, "country_id": self.env.ref("base.be").id}
        )
        with self.assertRaisesRegex(ValidationError, "not yet incorporated"):
            self._make_membership(partner)
        partner.coop_not_incorporated = True
        self.assertTrue(self._make_membership(partner))

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
