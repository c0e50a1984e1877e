"""Issue 16, art. 5.3: the agent with the projects right objects to a new group rate from
the portal; staff see it on the membership and the PM gets an activity."""

from odoo import fields, http
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPortalRateObjection(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        company = cls.member.partner_id
        cls.pm = cls.env["res.users"].create(
            {"name": "Pia PM", "login": "pia.pm@example.com", "email": "pia.pm@example.com"}
        )
        cls.member.pm_id = cls.pm
        cls.projects = Partner._coop_create_agent(
            company, "Paul Projets", "paul.projets@example.com", finance=False, projects=True, password="paul-pass-1234"
        )
        cls.finance = Partner._coop_create_agent(
            company, "Fiona Finances", "fiona.fin@example.com", finance=True, projects=False, password="fiona-pass-1234"
        )
        cls.other = cls._make_billing_member("Autre Brasserie")
        cls.other_agent = cls._make_agent(
            cls.other, "Otto Autre", "otto@example.com", finance=True, projects=True, password="otto-pass-1234"
        )
        cls.change = cls.env["coop.rate.change"].create(
            {
                "product_id": cls.service.id,
                "category_id": cls.cat_medior.id,
                "new_rate": 65.0,
                "reason": "Formation continue des mediors",
            }
        )
        cls.change.action_notify(today=fields.Date.today())
        cls.line = cls.change.member_ids.filtered(lambda m: m.membership_id == cls.member)
        cls.other_line = cls.change.member_ids.filtered(lambda m: m.membership_id == cls.other)

    def _post(self, membership, line, reason="Trop cher pour nous"):
        return self.url_open(
            f"/my/membership/{membership.id}/rate-objection/{line.id}",
            data={"reason": reason, "csrf_token": http.Request.csrf_token(self)},
        )

    def _objections(self):
        return self.env["coop.rate.objection"].search([("change_id", "=", self.change.id)])

    def test_agent_with_projects_right_objects_once(self):
        self.authenticate("paul.projets@example.com", "paul-pass-1234")
        page = self.url_open(f"/my/membership/{self.member.id}")
        self.assertIn("o_coop_rate_objection", page.text)
        self.assertIn("Formation continue des mediors", page.text)
        response = self._post(self.member, self.line)
        self.assertEqual(response.status_code, 200)
        objection = self._objections()
        self.assertRecordValues(
            objection,
            [
                {
                    "membership_id": self.member.id,
                    "reason": "Trop cher pour nous",
                    "objected_by_id": self.projects.id,
                    "date": fields.Date.today(),
                }
            ],
        )
        # staff: the membership's chatter, an activity for the PM, a confirmation to the agents
        self.assertEqual(len(self.member.message_ids.filtered(lambda m: "objects to the new rate" in m.body)), 1)
        self.assertEqual(
            self.member.activity_ids.filtered(lambda a: a.user_id == self.pm).summary,
            f"Rate change objected: {self.change.name}",
        )
        confirmation = self.member.notice_ids.filtered(lambda n: n.kind == "projects")
        self.assertEqual(confirmation.recipient_ids, self.projects.partner_id)
        # the card is gone; a second click objects nothing more and says why
        self.assertNotIn("o_coop_rate_objection", self.url_open(f"/my/membership/{self.member.id}").text)
        again = self._post(self.member, self.line)
        self.assertEqual(len(self._objections()), 1)
        self.assertIn("already objected", again.text)

    def test_agent_without_projects_right_is_refused(self):
        self.authenticate("fiona.fin@example.com", "fiona-pass-1234")
        self.assertNotIn("o_coop_rate_objection", self.url_open(f"/my/membership/{self.member.id}").text)
        response = self._post(self.member, self.line)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Formation continue", response.text)
        self.assertFalse(self._objections())

    def test_another_members_agent_reaches_nothing(self):
        self.authenticate("otto@example.com", "otto-pass-1234")
        response = self._post(self.member, self.line)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Brasserie Basique", response.text)
        # its own membership with our line: refused, nothing written
        refused = self._post(self.other, self.line)
        self.assertFalse(self._objections())
        self.assertIn("does not concern your membership", refused.text)
        # its own line works
        self._post(self.other, self.other_line)
        self.assertEqual(self._objections().membership_id, self.other)

    def test_french_tour_object_to_a_rate(self):
        self._tour_as("paul.projets@example.com", f"/my/membership/{self.member.id}", "coop_rate_objection_tour")
        self.assertRecordValues(self._objections(), [{"membership_id": self.member.id, "reason": "Tarif trop élevé"}])
