"""Issue 22, a portal that guides: true breadcrumbs, titles, cards with counts, wrapped texts."""

import re

from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


def breadcrumbs(html):
    """The items of the page's breadcrumbs, as the reader sees them."""
    match = re.search(r'<ol class="[^"]*o_portal_submenu[^"]*"[^>]*>(.*?)</ol>', html, re.S)
    if not match:
        return []
    items = re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def title(html):
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


@tagged("post_install", "-at_install")
class TestPortalGuides(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member.action_activate()
        cls.env["res.partner"]._coop_create_agent(
            cls.member.partner_id, "Agent Guide", "agent.guide@example.com", password="agent-guide-pass"
        )

    def test_print(self):
        self.authenticate("agent.guide@example.com", "agent-guide-pass")
        for url in (f"/my/membership/{self.member.id}", f"/my/membership/{self.member.id}/trust", f"/my/membership/{self.member.id}/work", "/my/plan", "/my", "/my/invoices"):
            page = self.url_open(url)
            print("XX", url, page.url, breadcrumbs(page.text), title(page.text))
