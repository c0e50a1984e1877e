"""Issue 16, art. 4.6: the member manages its agents from the portal. Creating the login is
the mandate; only an agent with the management right does it, and never grants a right
it does not hold; every route refuses another member's ids and a user without the right."""

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestPortalAgents(CoopCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_member(cls._make_company("Membre A SRL", vat="BE0477472701"))
        cls.member_b = cls._make_member(cls._make_company("Membre B SRL", vat="BE0403170701"))
        Partner = cls.env["res.partner"]
        # the signatory of B: every right, management included
        cls.manager_b = Partner._coop_create_agent(
            cls.member_b.partner_id, "Gérante B", "gerante.b@example.com", agents=True, password="gerante-b-pass"
        )
        # manages agents, projects only
        cls.projects_manager_b = Partner._coop_create_agent(
            cls.member_b.partner_id,
            "Chef de projet B",
            "chef.b@example.com",
            finance=False,
            agents=True,
            password="chef-b-pass",
        )
        cls.plain_b = Partner._coop_create_agent(
            cls.member_b.partner_id, "Comptable B", "comptable.b@example.com", projects=False, password="compta-b-pass"
        )
        cls.agent_a = Partner._coop_create_agent(
            cls.member_a.partner_id, "Agent A", "agent.a16@example.com", agents=True, password="agent-a16-pass"
        )

    def _post(self, url, **data):
        return self.url_open(url, data={**data, "csrf_token": Request.csrf_token(self)})

    def _notices(self, membership):
        return self.env["coop.notice"].search([("membership_id", "=", membership.id), ("kind", "=", "agents")])

    def test_manager_creates_changes_and_revokes_an_agent(self):
        self.authenticate("gerante.b@example.com", "gerante-b-pass")
        base = f"/my/membership/{self.member_b.id}"
        self._post(f"{base}/agent", name="Jan Janssens", email="jan@example.com", projects="1", limit_amount="500")
        user = self.env["res.users"].search([("login", "=", "jan@example.com")])
        agent = user.partner_id
        self.assertRecordValues(
            agent,
            [
                {
                    "parent_id": self.member_b.partner_id.id,
                    "coop_right_finance": False,
                    "coop_right_projects": True,
                    "coop_right_agents": False,
                    "coop_limit_request_amount": 500.0,
                }
            ],
        )
        self.assertTrue(user.share)
        notice = self._notices(self.member_b)
        self.assertEqual(len(notice), 1)
        self.assertIn(self.manager_b.partner_id, notice.recipient_ids)
        self.assertIn(agent, notice.recipient_ids)
        # a second click on the same form: refused with a message, nothing written
        page = self._post(f"{base}/agent", name="Jan Janssens", email="jan@example.com", projects="1")
        self.assertIn("is already an agent of Membre B SRL", page.text)
        self.assertEqual(self.env["res.users"].search_count([("login", "=", "jan@example.com")]), 1)
        self.assertEqual(len(self._notices(self.member_b)), 1)
        # change its rights and limits
        self._post(f"{base}/agent/{agent.id}", finance="1", projects="1", limit_amount="", limits="Pas de devis")
        self.assertRecordValues(
            agent,
            [
                {
                    "coop_right_finance": True,
                    "coop_right_projects": True,
                    "coop_limit_request_amount": 0.0,
                    "coop_agent_limits": "Pas de devis",
                }
            ],
        )
        self.assertEqual(len(self._notices(self.member_b)), 2)
        # the same form again changes nothing and tells nobody
        self._post(f"{base}/agent/{agent.id}", finance="1", projects="1", limit_amount="", limits="Pas de devis")
        self.assertEqual(len(self._notices(self.member_b)), 2)
        # revoke: the login is archived, the agent no longer receives the member's mail
        self._post(f"{base}/agent/{agent.id}/revoke")
        self.assertFalse(user.active)
        self.assertFalse(agent.coop_right_finance or agent.coop_right_projects)
        self.assertNotIn(agent, self.member_b.partner_id._coop_recipients())
        revoked = self._notices(self.member_b)[0]
        self.assertIn(agent, revoked.recipient_ids)
        page = self._post(f"{base}/agent/{agent.id}/revoke")
        self.assertIn("The mandate of Jan Janssens is already revoked.", page.text)
        self.assertEqual(len(self._notices(self.member_b)), 3)

    def test_agent_cannot_grant_a_right_it_does_not_hold(self):
        self.authenticate("chef.b@example.com", "chef-b-pass")
        base = f"/my/membership/{self.member_b.id}"
        page = self._post(f"{base}/agent", name="Piet", email="piet@example.com", finance="1", projects="1")
        self.assertIn("You cannot grant the finance right: your own mandate does not include it.", page.text)
        self.assertFalse(self.env["res.users"].search([("login", "=", "piet@example.com")]))
        # nor change an agent whose mandate is wider than its own
        page = self._post(f"{base}/agent/{self.plain_b.partner_id.id}", projects="1")
        self.assertIn("You cannot grant the finance right", page.text)
        self.assertRecordValues(self.plain_b.partner_id, [{"coop_right_finance": True, "coop_right_projects": False}])
        # nor its own mandate
        page = self._post(f"{base}/agent/{self.projects_manager_b.partner_id.id}", finance="1", projects="1")
        self.assertIn("You cannot change or revoke your own mandate", page.text)
        self.assertFalse(self.projects_manager_b.partner_id.coop_right_finance)
        self.assertFalse(self._notices(self.member_b))

    def test_limited_agent_cannot_give_a_wider_limit(self):
        self.manager_b.partner_id.coop_limit_request_amount = 1000.0
        self.authenticate("gerante.b@example.com", "gerante-b-pass")
        page = self._post(
            f"/my/membership/{self.member_b.id}/agent", name="Piet", email="piet@example.com", projects="1"
        )
        self.assertIn("limit cannot be higher", page.text)
        self.assertFalse(self.env["res.users"].search([("login", "=", "piet@example.com")]))

    def test_routes_refuse_other_members_and_users_without_the_right(self):
        a_agent = self.agent_a.partner_id
        routes = [
            (f"/my/membership/{self.member_a.id}/agent", {"name": "X", "email": "x@example.com", "projects": "1"}),
            (f"/my/membership/{self.member_a.id}/agent/{a_agent.id}", {"finance": "1"}),
            (f"/my/membership/{self.member_a.id}/agent/{a_agent.id}/revoke", {}),
        ]
        # B's manager on A's membership: 404, nothing of A in the body
        self.authenticate("gerante.b@example.com", "gerante-b-pass")
        for url, data in routes:
            response = self._post(url, **data)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Membre A SRL", response.text)
            self.assertNotIn("Agent A", response.text)
        # B's manager, its own membership, A's agent: 404
        for suffix in ("", "/revoke"):
            response = self._post(f"/my/membership/{self.member_b.id}/agent/{a_agent.id}{suffix}", finance="1")
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Agent A", response.text)
        self.assertTrue(self.agent_a.active)
        self.assertFalse(self.env["res.users"].search([("login", "=", "x@example.com")]))
        # an agent of B without the management right: 403
        self.authenticate("comptable.b@example.com", "compta-b-pass")
        for url in (
            f"/my/membership/{self.member_b.id}/agent",
            f"/my/membership/{self.member_b.id}/agent/{self.manager_b.partner_id.id}",
            f"/my/membership/{self.member_b.id}/agent/{self.manager_b.partner_id.id}/revoke",
        ):
            response = self._post(url, name="Y", email="y@example.com", projects="1")
            self.assertEqual(response.status_code, 403, url)
        self.assertTrue(self.manager_b.active)
        self.assertFalse(self.env["res.users"].search([("login", "=", "y@example.com")]))

    def test_french_tour_manage_agents(self):
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.manager_b.partner_id.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.member_b.id}",
            "coop_agents_french_tour",
            login="gerante.b@example.com",
        )
        user = self.env["res.users"].with_context(active_test=False).search([("login", "=", "lotte@example.com")])
        self.assertFalse(user.active)
        # created, changed (finance without projects), revoked: three notices to the agents
        notices = self._notices(self.member_b).sorted("id")
        self.assertEqual(len(notices), 3)
        changed = notices[1].message_id.body
        self.assertIn("was changed by Gérante B: finance.", changed)
