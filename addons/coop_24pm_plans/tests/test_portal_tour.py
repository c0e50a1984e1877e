from odoo.tests import HttpCase, tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestPlanPortalTour(CoopPlansCommon, HttpCase):
    def test_member_requests_and_confirms_an_upgrade(self):
        member = self._make_plan_member("Tour Upgrade SRL", self.standard_2023, "2026-01-01")
        self.env["res.partner"]._coop_create_agent(
            member.partner_id, "Agent Plan Tour", "agent.plantour@example.com", password="agent-plantour-pass"
        )
        self.start_tour("/my", "coop_plan_portal_tour", login="agent.plantour@example.com")
        change = self.env["coop.plan.change"].search([("membership_id", "=", member.id)])
        self.assertEqual(len(change), 1)
        self.assertRecordValues(
            change,
            [{"origin": "member", "new_plan_id": self.partner_2023.id, "direction": "upgrade", "state": "applied"}],
        )
        self.assertEqual(member.plan_id, self.partner_2023)
        self.assertTrue(
            change.adjustment_move_id
            or member.contract_id.contract_line_ids.filtered(lambda line: line.coop_plan_id == self.partner_2023)
        )
