import importlib.util

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import CoopCommon


def _load_migration():
    path = file_path("coop_24pm_membership/migrations/19.0.1.1.0/end-migrate.py")
    spec = importlib.util.spec_from_file_location("coop_24pm_membership_migrate_19_0_1_1_0", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrationApplications(CoopCommon):
    """Issue 15 item 4: the memberships still in application, contract sent or signed
    become applications (an Odoo migration script, called here directly)."""

    def test_open_memberships_move_to_applications(self):
        partner = self._make_company("Migration Envoyee SRL", vat="BE0477472701")
        agent = self.env["res.partner"]._coop_create_agent(partner, "Claire Peeters", "claire@migration.example.com")
        sent = self._make_membership(partner, commitment="annual", origin="online")
        sent.action_send_contract()
        sent.message_post(body="Called the company about its contract.")
        attachment = self.env["ir.attachment"].create(
            {"name": "contract-draft.txt", "raw": b"draft", "res_model": "coop.membership", "res_id": sent.id}
        )
        swiss_company = self._make_company("Migration Suisse SA", "ch")
        swiss = self._make_membership(swiss_company)
        swiss.action_send_contract()
        swiss.action_sign("2026-02-01", "Anne Favre", "Administratrice", True)
        swiss_activities = swiss.activity_ids
        self.assertEqual(len(swiss_activities), 2, "the review, and the contract that reached nobody")
        member = self._make_member(self._make_company("Migration Membre SRL", vat="BE0403170701"))
        sent_vals = sent.read(["name", "date_application", "date_sent"])[0]
        messages = sent.message_ids
        sent_id, swiss_id = sent.id, swiss.id
        self.env.flush_all()

        _load_migration().migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

        Application = self.env["coop.membership.application"]
        moved = Application.search([("partner_id", "=", partner.id)])
        self.assertRecordValues(
            moved,
            [
                {
                    "name": sent_vals["name"],
                    "state": "sent",
                    "origin": "online",
                    "commitment": "annual",
                    "acceptance": "auto",
                    "regulation_id": self.roi_2023.id,
                    "date_application": sent_vals["date_application"],
                    "date_sent": sent_vals["date_sent"],
                    "membership_id": False,
                }
            ],
        )
        self.assertEqual(moved.message_ids, messages, "the chatter follows")
        self.assertIn("Called the company about its contract.", moved.message_ids.mapped("body")[0])
        self.assertRecordValues(attachment, [{"res_model": moved._name, "res_id": moved.id}])
        self.assertIn(agent.partner_id, moved.message_ids.filtered(lambda m: m.subject).partner_ids)
        signed = Application.search([("partner_id", "=", swiss_company.id)])
        self.assertRecordValues(
            signed,
            [
                {
                    "state": "signed",
                    "acceptance": "pending",
                    "attention": "waiting",
                    "signatory_name": "Anne Favre",
                    "signatory_capacity": "Administratrice",
                    "signatory_has_power": True,
                }
            ],
        )
        self.assertEqual(signed.activity_ids, swiss_activities, "the activities follow, none added")
        self.assertFalse(self.env["coop.membership"].browse([sent_id, swiss_id]).exists())
        self.assertEqual(partner.coop_status, "applicant")
        # a concluded membership is untouched
        self.assertRecordValues(member, [{"state": "active", "b_shares": 1}])
        self.assertRecordValues(
            Application.search([("partner_id", "=", member.partner_id.id)]),
            [{"state": "done", "membership_id": member.id}],
        )
        # the application goes on from where it was
        signed.action_accept()
        self.assertRecordValues(signed.membership_id, [{"state": "registered", "b_shares": 1}])

    def test_invoiced_application_is_kept_as_a_membership(self):
        """Signed and invoiced at signature before issue 15: kept, for staff to conclude or refuse."""
        legacy = self._make_membership(self._make_company("Migration Facturee SA", "ch"), origin="online")
        legacy.action_send_contract()
        legacy.action_sign("2026-02-01", "Anne Favre", "Administratrice", True)
        legacy.join_share_move_id = legacy._coop_join_create_share_invoice()
        self.env.flush_all()
        _load_migration().migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertRecordValues(legacy, [{"state": "signed"}])
        self.assertFalse(self.env["coop.membership.application"].search([("partner_id", "=", legacy.partner_id.id)]))
