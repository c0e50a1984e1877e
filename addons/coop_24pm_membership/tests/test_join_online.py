from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CoopCommon

VIES_OK = {"valid": True, "name": "BRASSERIE EN LIGNE SRL", "address": "RUE HAUTE 1\n1000 BRUXELLES"}
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestJoinOnline(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Membership = cls.env["coop.membership"]

    def _portal_user(self, login):
        return new_test_user(self.env, login, groups="base.group_portal", password=f"{login}-pass")

    def _count_companies(self):
        return self.env["res.partner"].search_count([("is_company", "=", True)])

    def test_signup_creates_a_prospect(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self.env["res.users"].sudo().signup(
            {
                "login": "new@prospect.example",
                "name": "Nina New",
                "password": "new-pass-1234",
                "email": "new@prospect.example",
            }
        )
        user = self.env["res.users"].sudo().search([("login", "=", "new@prospect.example")])
        self.assertTrue(user.partner_id.is_coop_prospect)
        self.assertEqual(user.partner_id.coop_status, "prospect")

    def test_company_step_fills_vies_and_makes_the_user_its_agent(self):
        user = self._portal_user("founder")
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            company = self.Membership._coop_join_company(user, vat="0477.472.701")
        self.assertRecordValues(
            company,
            [
                {
                    "name": "BRASSERIE EN LIGNE SRL",
                    "vat": "BE0477472701",
                    "street": "RUE HAUTE 1",
                    "city": "BRUXELLES",
                    "is_company": True,
                }
            ],
        )
        self.assertEqual(company.country_id.code, "BE")
        self.assertEqual(user.partner_id.parent_id, company)
        self.assertTrue(user.partner_id.coop_right_finance and user.partner_id.coop_right_agents)

    def test_company_step_refusals_create_nothing(self):
        existing = self._make_member(self._make_company("Déjà Membre SRL", vat="BE0403170701"))
        user = self._portal_user("refused")
        before = self._count_companies()
        cases = [
            ({"vat": "BE0477472702"}, "not a valid VAT"),
            ({"individual": True}, "individual"),
            ({"vat": "BE0403170701"}, "already a member"),
            ({"not_incorporated": True, "company_name": " "}, "name of the company"),
        ]
        for kwargs, message in cases:
            with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK), self.assertRaisesRegex(UserError, message):
                self.Membership._coop_join_company(user, **kwargs)
        self.assertEqual(self._count_companies(), before)
        self.assertFalse(user.partner_id.parent_id)
        self.assertEqual(existing.state, "active")

    def test_vies_inactive_number_refused(self):
        user = self._portal_user("inactive")
        before = self._count_companies()
        with (
            patch("stdnum.eu.vat.check_vies", return_value={"valid": False, "name": "", "address": ""}),
            self.assertRaisesRegex(UserError, "not an active VAT number"),
        ):
            self.Membership._coop_join_company(user, vat="BE0477472701")
        self.assertEqual(self._count_companies(), before)

    def test_belgian_company_joins_without_staff(self):
        user = self._portal_user("belgian")
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            company = self.Membership._coop_join_company(user, vat="BE0477472701")
        membership = self.Membership._coop_join_apply(user)
        self.assertEqual(self.Membership._coop_join_apply(user), membership, "a second click creates nothing")
        self.assertRecordValues(membership, [{"state": "sent", "origin": "online", "acceptance": "auto"}])
        with self.assertRaisesRegex(UserError, "power to bind"):
            membership._coop_join_sign(user, "Nina New", "Gérante", False, SIGNATURE)
        self.assertEqual(membership.state, "sent")
        membership._coop_join_sign(user, "Nina New", "Gérante", True, SIGNATURE)
        self.assertIn(membership.state, ("registered", "active"))
        self.assertEqual(membership.b_shares, 1)
        self.assertEqual(company.coop_status, "member")
        self.assertRecordValues(
            membership, [{"signatory_name": "Nina New", "signatory_capacity": "Gérante", "signed_by_user_id": user.id}]
        )
        self.assertTrue(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "coop.membership"),
                    ("res_id", "=", membership.id),
                    ("mimetype", "=", "application/pdf"),
                ]
            )
        )

    def test_swiss_company_waits_for_staff(self):
        user = self._portal_user("swiss")
        company = self.Membership._coop_join_company(
            user, not_incorporated=True, company_name="Montres Léman SA", country_code="CH"
        )
        membership = self.Membership._coop_join_apply(user)
        membership._coop_join_sign(user, "Anne Favre", "Administratrice", True, SIGNATURE)
        self.assertRecordValues(membership, [{"state": "signed", "acceptance": "pending"}])
        self.assertFalse(membership.share_line_ids)
        self.assertTrue(membership.activity_ids, "the review lands in the staff's queue")
        self.assertEqual(company.coop_status, "applicant")

    def test_http_journey_and_other_users_url(self):
        user = self._portal_user("http_founder")
        other = self._portal_user("http_other")
        self.authenticate(user.login, "http_founder-pass")
        with patch("stdnum.eu.vat.check_vies", return_value=VIES_OK):
            response = self.url_open(
                "/my/join/company", data={"vat": "BE0477472701", "csrf_token": Request.csrf_token(self)}
            )
        self.assertEqual(response.status_code, 200)
        # the application form's fields belong to the plans addon when installed: apply as its route does
        self.Membership._coop_join_apply(user)
        self.Membership._coop_join_apply(user)
        memberships = self.Membership.search([("partner_id", "=", user.partner_id.parent_id.id)])
        self.assertEqual(len(memberships), 1)
        page = self.url_open("/my/join")
        self.assertIn("o_coop_join_signatory", page.text)
        self.assertEqual(self.url_open(f"/my/membership/{memberships.id}/contract").status_code, 200)
        self.authenticate(other.login, "http_other-pass")
        self.assertEqual(self.url_open(f"/my/membership/{memberships.id}/contract").status_code, 404)
        self.assertEqual(self.url_open(f"/my/membership/{memberships.id}").status_code, 404)
