import html

from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestJoinAbuse(CoopCommon, HttpCase):
    """Signup and VAT look-ups are limited per IP address and per account."""

    def setUp(self):
        super().setUp()
        self.params = self.env["ir.config_parameter"].sudo()
        self.params.set_param("auth_signup.invitation_scope", "b2c")

    def _lookup(self, vat):
        response = self.url_open("/my/join/company", data={"vat": vat, "csrf_token": Request.csrf_token(self)})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error=", response.url, "the refusal travels through the session")
        return html.unescape(response.text)

    def test_vat_lookups_limited_per_account_and_ip(self):
        self.params.set_param("coop_24pm_membership.vat_lookup_per_hour", 2)
        user = new_test_user(self.env, "abuser", groups="base.group_portal", password="abuser-pass")
        self.authenticate("abuser", "abuser-pass")
        self.assertIn("not a valid", self._lookup("BE0000000001"))
        self._lookup("BE0000000002")
        url = self._lookup("BE0477472701")
        self.assertIn("Too many attempts", url)
        self.assertFalse(user.partner_id.parent_id, "the refused look-up created no company")
        self.assertEqual(self.env["res.partner"].search_count([("vat", "=", "BE0477472701")]), 0)
        # another account from the same address is refused too
        new_test_user(self.env, "accomplice", groups="base.group_portal", password="accomplice-pass")
        self.authenticate("accomplice", "accomplice-pass")
        self.assertIn("Too many attempts", self._lookup("BE0477472701"))

    def _signup(self, login):
        self.authenticate(None, None)
        return self.url_open(
            "/web/signup",
            data={
                "login": login,
                "name": login,
                "password": "Str0ng-pass-1234",
                "confirm_password": "Str0ng-pass-1234",
                "csrf_token": Request.csrf_token(self),
            },
        )

    def test_signups_limited_per_ip(self):
        self.params.set_param("coop_24pm_membership.signup_per_hour", 1)
        Users = self.env["res.users"].sudo()
        self._signup("first@prospect.example")
        self.assertTrue(Users.search([("login", "=", "first@prospect.example")]))
        response = self._signup("second@prospect.example")
        self.assertIn("Too many attempts", response.text)
        self.assertFalse(Users.search([("login", "=", "second@prospect.example")]))

    def test_old_attempts_are_forgotten(self):
        Limit = self.env["coop.rate.limit"]
        Limit._coop_hit("signup", ip="192.0.2.7")
        self.env.cr.execute("UPDATE coop_rate_limit SET attempt_date = attempt_date - interval '2 days'")
        Limit._gc_coop_rate_limit()
        self.assertFalse(Limit.search([("key", "=", "ip:192.0.2.7")]))
