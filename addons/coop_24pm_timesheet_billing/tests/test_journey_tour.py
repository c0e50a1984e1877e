from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.coop_24pm_guarantee.tests.common import GuaranteeCommon

VIES_OK = {"valid": True, "name": "BRASSERIE DU PARCOURS SRL", "address": "RUE HAUTE 1\n1000 BRUXELLES"}


@tagged("post_install", "-at_install")
class TestJoinJourneyTour(GuaranteeCommon, HttpCase):
    """Issue #8: a person with only a browser turns a Belgian company into an active
    member, in French, from the signup page to the signed SEPA B2B mandate. This addon
    depends on plans and guarantee: the whole journey is installed here."""

    def test_whole_journey_in_french_for_a_belgian_company(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.assertTrue(lang.active)
        # VIES is replaced only at its remote call
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            self.start_tour(f"/{lang.url_code}/web/signup?redirect=/my/join", "coop_join_journey_tour", login=None)

        user = self.env["res.users"].sudo().search([("login", "=", "gerante@parcours.example")])
        self.assertTrue(user, "the account was created by the signup page")
        self.assertEqual(user.lang, "fr_BE")
        company = user.partner_id.parent_id
        self.assertRecordValues(company, [{"name": "BRASSERIE DU PARCOURS SRL", "vat": "BE0477472701"}])
        membership = self.env["coop.membership"].sudo().search([("partner_id", "=", company.id)])
        self.assertEqual(len(membership), 1)
        currency = membership.currency_id
        # active member, B share in the register
        self.assertRecordValues(membership, [{"state": "active"}])
        self.assertRecordValues(
            membership.application_id, [{"origin": "online", "acceptance": "auto", "signatory_capacity": "Gérante"}]
        )
        self.assertEqual(company.coop_status, "member")
        self.assertEqual(membership.b_shares, 1)
        share = membership.share_line_ids
        self.assertRecordValues(share, [{"operation": "subscription", "share_class_id": self.b_class.id}])
        self.assertEqual(share.move_id, membership.application_id.join_share_move_id)
        self.assertEqual(currency.compare_amounts(share.move_id.amount_total, 1.0), 0)
        self.assertRegex(share.move_id.payment_reference, r"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$")
        # plan active: its subscription contract runs
        self.assertTrue(membership.plan_id)
        self.assertTrue(membership.contract_id, "the plan's subscription started")
        # ROI 2023: no credit assessment recorded, no guarantee (SPEC 7.5)
        self.assertFalse(membership.guarantee_id.guarantee_required)
        self.assertFalse(membership.application_id.join_guarantee_move_id)
        self.assertEqual(membership.application_id.join_invoice_ids, share.move_id)
        # the mandate awaits the bank's confirmation
        mandate = membership.application_id.join_mandate_id
        self.assertRecordValues(
            mandate, [{"state": "draft", "scheme": "B2B", "type": "recurrent", "partner_id": company.id}]
        )
        self.assertTrue(mandate.coop_signed_on and mandate.coop_signature)
        self.assertEqual(mandate.partner_bank_id.sanitized_acc_number, "BE71096123456769")
        # one e-mail per step, in the member's language
        self.assertEqual(company.lang, "fr_BE")
        # issue 15: the steps before the conclusion are the application's; issue 21: the steps after
        # it (sent by the membership) are recorded on the application too, the journey's record
        application = self.env["coop.membership.application"].sudo().search([("partner_id", "=", company.id)])
        self.assertRecordValues(application, [{"state": "done", "membership_id": membership.id, "origin": "online"}])
        self.assertEqual(
            set(application.join_mail_keys.split(",")), {"applied", "signed", "mandate", "invoices", "active"}
        )
