"""Issue 22, a portal that guides: true breadcrumbs, titles, cards with counts, wrapped texts."""

import re

from odoo import fields
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
        cls._make_agent(cls.member, "Agent Guide", "agent.guide@example.com", password="agent-guide-pass")

    def setUp(self):
        super().setUp()
        self.authenticate("agent.guide@example.com", "agent-guide-pass")

    def test_breadcrumbs_and_titles_say_where_the_reader_is(self):
        member = self.member
        company = self.env.company.name
        for url, crumbs, page_title in (
            (f"/my/membership/{member.id}", ["", "Membership"], f"Membership | {company}"),
            (f"/my/membership/{member.id}/trust", ["", "Membership", "Trust account"], f"Trust account | {company}"),
            (f"/my/membership/{member.id}/work", ["", "Membership", "Work"], f"Work | {company}"),
            ("/my/invoices", ["", "Invoices & Bills"], company),
        ):
            with self.subTest(url=url):
                page = self.url_open(url)
                self.assertEqual(page.status_code, 200)
                self.assertEqual(breadcrumbs(page.text), crumbs)
                self.assertEqual(title(page.text), page_title)

    def test_breadcrumbs_ignore_the_pages_own_invoices_and_tasks(self):
        """Odoo's breadcrumbs show any ``invoice`` or ``task`` in the template's scope:
        the trust page lists invoices and the work page tasks, under other names."""
        today = fields.Date.today()
        self.init_invoice("out_invoice", partner=self.member.partner_id, amounts=[100.0], invoice_date=today, post=True)
        trust = self.url_open(f"/my/membership/{self.member.id}/trust")
        self.assertEqual(breadcrumbs(trust.text), ["", "Membership", "Trust account"])
        work = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertEqual(breadcrumbs(work.text), ["", "Membership", "Work"])

    def test_home_cards_count_membership_trust_account_work_and_disputes(self):
        self.init_invoice(
            "out_invoice", partner=self.member.partner_id, amounts=[100.0], invoice_date=fields.Date.today(), post=True
        )
        counters = ["coop_membership_count", "coop_trust_count", "coop_work_count", "coop_dispute_count"]
        counts = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        open_documents = self.env["account.move"].search(
            [("commercial_partner_id", "=", self.member.partner_id.id), ("payment_state", "=", "not_paid")]
        )
        # the call for funds of the B share (registration) and the invoice
        self.assertEqual(len(open_documents), 2)
        self.assertEqual(
            {key: counts[key] for key in counters},
            {"coop_membership_count": 1, "coop_trust_count": 2, "coop_work_count": 1, "coop_dispute_count": 0},
        )
        home = self.url_open("/my")
        for url in ("/my/membership", "/my/trust", "/my/work"):
            self.assertIn(f'href="{url}"', home.text)
        self.assertTrue(self.url_open("/my/trust").url.endswith(f"/my/membership/{self.member.id}/trust"))
        self.assertTrue(self.url_open("/my/work").url.endswith(f"/my/membership/{self.member.id}/work"))

    def test_long_task_names_wrap(self):
        self.env["project.task"].create({"name": "W" * 400, "project_id": self.project.id})
        page = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertIn('<td class="text-break"><span>' + "W" * 400, page.text)
