"""Issue 22, one language at a time: a tour per language, as the member agent, through the
membership, trust account, work and invoices pages; each step checks the page's words."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPortalLanguageTours(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._make_agent(
            cls.member, "Agent Visite", "agent.visite@example.com", password="agent-visite-pass"
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.member.partner_id, amounts=[1000.0], invoice_date=fields.Date.today(), post=True
        )

    def _tour(self, lang_code, tour):
        self._tour_as("agent.visite@example.com", "/my", tour, lang_code)

    def test_french_tour_through_membership_trust_work_and_invoices(self):
        self._tour("fr_BE", "coop_portal_french_tour")

    def test_dutch_tour_through_membership_trust_work_and_invoices(self):
        self._tour("nl_BE", "coop_portal_dutch_tour")
