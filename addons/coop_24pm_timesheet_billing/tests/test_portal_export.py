"""Issue 16: the member downloads its own data (a zip of JSON and CSV files) as member
or former member; each agent receives the tables its rights open, never another
member's data."""

import io
import json
import zipfile

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPortalExport(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_agent(cls.member, "Agent Export", "agent.export@example.com", password="agent-export-pass")
        cls._make_agent(
            cls.member, "Agent Projets", "agent.projets@example.com", finance=False, password="agent-projets-pass"
        )
        cls.other = cls._make_billing_member("Autre Export SRL")
        cls._make_agent(cls.other, "Agent Autre", "agent.autre@example.com", password="agent-autre-pass")
        cls.today = fields.Date.context_today(cls.member)
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.member.partner_id, amounts=[500.0], invoice_date=cls.today, post=True
        )
        cls.other_invoice = cls.init_invoice(
            "out_invoice", partner=cls.other.partner_id, amounts=[300.0], invoice_date=cls.today, post=True
        )

    def _export(self, membership):
        response = self.url_open(f"/my/membership/{membership.id}/export")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return archive, json.loads(archive.read("data.json"))

    def test_member_downloads_its_data_and_nothing_else(self):
        line = self._log(self.medior, 90, self.today, name="Analyse du site")
        self._log(
            self.medior,
            60,
            self.today,
            task=self.env["project.task"].create(
                {"name": "Autre tâche", "project_id": self.env["project.project"]._coop_projects_of(self.other).id}
            ),
            name="Travail de l'autre",
        )
        self.authenticate("agent.export@example.com", "agent-export-pass")
        archive, data = self._export(self.member)
        self.assertEqual(data["company"][0]["name"], "Brasserie Basique")
        self.assertEqual([m["name"] for m in data["memberships"]], [self.member.name])
        # the call for funds of its B share, then the invoice
        share_call = self.member.share_line_ids.move_id
        self.assertEqual([i["name"] for i in data["invoices"]], [share_call.name, self.invoice.name])
        self.assertEqual(data["invoices"][1]["amount_untaxed"], 500.0)
        self.assertEqual([w["name"] for w in data["work"]], ["Analyse du site"])
        self.assertEqual(data["work"][0]["coop_billable_hours"], line.coop_billable_hours)
        self.assertEqual(data["share_register"][0]["operation"], "subscription")
        self.assertIn("agent.export@example.com", [a["email"] for a in data["agents"]])
        self.assertIn("work.csv", archive.namelist())
        self.assertIn("Analyse du site", archive.read("work.csv").decode())
        everything = json.dumps(data) + "".join(archive.read(name).decode() for name in archive.namelist())
        self.assertNotIn("Autre Export SRL", everything)
        self.assertNotIn(self.other_invoice.name, everything)
        self.assertNotIn("Travail de l'autre", everything)

    def test_agent_without_finance_gets_no_finance_tables(self):
        self.authenticate("agent.projets@example.com", "agent-projets-pass")
        _archive, data = self._export(self.member)
        self.assertNotIn("invoices", data)
        self.assertNotIn("share_register", data)
        self.assertIn("work", data)

    def test_former_member_downloads_its_data(self):
        self.member.action_give_notice(self.today)
        self.member.action_terminate(self.today)
        self.assertEqual(self.member.state, "terminated")
        self.authenticate("agent.export@example.com", "agent-export-pass")
        _archive, data = self._export(self.member)
        self.assertEqual(data["memberships"][0]["state"], "terminated")
        self.assertIn(self.invoice.name, [i["name"] for i in data["invoices"]])

    def test_other_members_id_is_not_found(self):
        self.authenticate("agent.autre@example.com", "agent-autre-pass")
        response = self.url_open(f"/my/membership/{self.member.id}/export")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Brasserie Basique", response.text)
        self.assertNotIn(self.invoice.name, response.text)

    def test_french_tour_export(self):
        self._tour_as("agent.export@example.com", f"/my/membership/{self.member.id}", "coop_export_french_tour")
