from odoo.tests import HttpCase, tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestPortalTour(CoopCommon, HttpCase):
    def test_agent_sees_status_and_shares(self):
        membership = self._make_member(self._make_company("Tour Brasserie SRL", vat="BE0477472701"))
        self.env["res.partner"]._coop_create_agent(
            membership.partner_id, "Agent Tour", "agent.tour@example.com", password="agent-tour-pass"
        )
        self.start_tour("/my", "coop_membership_portal_tour", login="agent.tour@example.com")
