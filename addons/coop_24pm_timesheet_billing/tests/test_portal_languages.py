"""Issue 22, one language at a time: each portal page of the suite, rendered in French and in
Dutch, shows none of a list of English labels (Odoo's portal words and the suite's), and
numbers, amounts, durations and dates in the language's format."""

import html
import re

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon

#: Odoo's portal words and the suite's, as an English reader sees them: none may stay
#: on a page shown in French or in Dutch
ENGLISH_LABELS = (
    "Skip to Content",
    "My Account",
    "Logout",
    "My account",
    "Invoices to pay",
    "Pay Now",
    "Your Invoices",
    "Our Invoices",
    "Addresses",
    "Connection & Security",
    "Edit information",
    "Invoices & Bills",
    "Sort By:",
    "Filter By:",
    "Due Date",
    "Reference",
    "Bills",
    "Overdue invoices",
    "Invoice #",
    "Invoice Date",
    "Amount Due",
    "Waiting for Payment",
    "Download",
    "Salesperson",
    "Send message",
    "Amount",
    "Communication history",
    "Powered by",
    "Membership",
    "Trust account",
    "Support plan",
    "Disputes",
    "Projects and tasks",
    "Request work",
    "Collaborators",
    "Work done",
    "Estimate",
    "Billable",
    "Billed",
    "Upcoming service invoice",
    "Invoiced",
    "Outstanding",
    "Guarantee",
    "Saved.",
    "Your membership",
    "Your support plan",
    "per month",
    "until",
    "Change of plan",
    "Timesheets",
    "Follow the evolution",
    "Tasks",
    "Projects",
    "Waiting",
    "Choose a plan",
    "Request the change",
    # /my/account, /my/security (Odoo's portal, auth_totp_portal, auth_passkey_portal)
    "Your name",
    "Company Name",
    "VAT",
    "Street and Number",
    "Zip Code",
    "City",
    "Country",
    "Receive invoices",
    "by Email",
    "by Post",
    "Electronic format",
    "Save Address",
    "Discard",
    "Change Password",
    "New Password",
    "Scan this barcode in your Authenticator app",
    "Two-factor authentication",
    "Enable two-factor authentication",
    "Passkeys",
    "Add Passkey",
    "Revoke All Sessions",
    "Log out from all devices",
    "Delete Account",
    "Cancel",
    "Belgium",
    "Germany",
    "Netherlands",
    # the invoice itself (its HTML rendering, as its PDF)
    "Untaxed Amount",
    "Payment Communication",
    "Quantity",
    "Unit Price",
)


def visible_text(source):
    source = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<[^>]+>", "\n", source)
    return [" ".join(line.split()) for line in source.split("\n") if line.strip()]


@tagged("post_install", "-at_install")
class TestPortalLanguages(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._make_agent(
            cls.member, "Agent Langue", "agent.langue@example.com", password="agent-langue-pass"
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.member.partner_id, amounts=[1000.0], invoice_date=fields.Date.today(), post=True
        )

    def _pages(self):
        member = self.member.id
        return (
            "/my",
            f"/my/membership/{member}",
            f"/my/membership/{member}/trust",
            f"/my/membership/{member}/work",
            "/my/plan",
            "/my/invoices",
            f"/my/invoices/{self.invoice.id}",
            f"/my/invoices/{self.invoice.id}?report_type=html",
            "/my/account",
            "/my/security",
        )

    def _english_left(self, prefix):
        """(page, English label) pairs still shown under ``prefix`` (/fr, /nl)."""
        left = []
        for url in self._pages():
            page = self.url_open(prefix + url)
            self.assertEqual(page.status_code, 200, url)
            # the invoice's HTML rendering comes without a charset: read it as UTF-8
            nodes = visible_text(html.unescape(page.content.decode()))
            for label in ENGLISH_LABELS:
                pattern = re.compile(rf"(?<![\w]){re.escape(label)}(?![\w])")
                left += [(url, label) for node in nodes if pattern.search(node)]
            # numbers, amounts and dates in the language's format
            left += [
                (url, node) for node in nodes if re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,3},\d{3}\.\d{2}\b", node)
            ]
        return left

    def test_french_pages_show_no_english(self):
        # the invoice is rendered in its customer's language
        self.agent.lang = self.member.partner_id.lang = "fr_BE"
        self.authenticate("agent.langue@example.com", "agent-langue-pass")
        self.assertEqual(self._english_left("/fr"), [])

    def test_dutch_pages_show_no_english(self):
        self.agent.lang = self.member.partner_id.lang = "nl_BE"
        self.authenticate("agent.langue@example.com", "agent-langue-pass")
        self.assertEqual(self._english_left("/nl"), [])

    def test_amounts_dates_and_durations_follow_the_language(self):
        self.authenticate("agent.langue@example.com", "agent-langue-pass")
        trust = " ".join(visible_text(self.url_open(f"/fr/my/membership/{self.member.id}/trust").text))
        self.assertIn("1.211,00", trust)
        work = " ".join(visible_text(self.url_open(f"/nl/my/membership/{self.member.id}/work").text))
        self.assertIn("38 %", work)
        self.assertIn("00:00", work)
