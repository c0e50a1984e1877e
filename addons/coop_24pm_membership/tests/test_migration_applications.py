from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load_migration():
    return migration_util.load_script("coop_24pm_membership", "19.0.1.1.0", "end-migrate")


@tagged("post_install", "-at_install")
class TestMigrationApplications(CoopCommon):
    """Issue 15 item 4: the memberships still in application, contract sent or signed
    become applications (an Odoo migration script, called here directly)."""

    #: the journey's columns ``coop_membership`` had before issue 21 (no longer its fields)
    LEGACY_COLUMNS = {
        "acceptance": "varchar",
        "origin": "varchar",
        "refusal_reason": "text",
        "date_sent": "date",
        "signatory_name": "varchar",
        "signatory_capacity": "varchar",
        "signatory_has_power": "boolean",
        "signed_by_user_id": "integer",
    }

    def _migrate(self):
        """Run the 19.0.1.1.0 migration on what the test wrote, then read its result."""
        self.env.flush_all()
        _load_migration().migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

    def _legacy_share_invoice(self, membership):
        """The B-share invoice issued at signature before issue 15, held by the membership's
        column (issue 21 made it its application's ``join_share_move_id``)."""
        invoice = self.env["coop.membership.application"].new({"membership_id": membership.id})
        invoice = invoice._coop_join_create_share_invoice()
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS join_share_move_id integer")
        self.env.cr.execute(
            "UPDATE coop_membership SET join_share_move_id = %s WHERE id = %s", [invoice.id, membership.id]
        )
        return invoice

    def _legacy(self, partner, state, **vals):
        """A membership as the journey left it before issue 15, in a state that is no longer
        the field's: written by SQL, as the database holds it before the migration (with the
        journey's columns that issue 21 took off the model)."""
        membership = self._make_membership(partner, **{k: v for k, v in vals.items() if k not in self.LEGACY_COLUMNS})
        self.env.flush_all()
        for column, kind in self.LEGACY_COLUMNS.items():
            self.env.cr.execute(
                SQL("ALTER TABLE coop_membership ADD COLUMN IF NOT EXISTS %s %s", SQL.identifier(column), SQL(kind))
            )
        country = partner.country_id
        auto = "auto" if self.roi_2023._coop_accepts_automatically(country) else "pending"
        legacy = {"acceptance": auto, "origin": "staff", **{k: v for k, v in vals.items() if k in self.LEGACY_COLUMNS}}
        self.env.cr.execute(
            SQL(
                "UPDATE coop_membership SET state = %s, date_sent = date_application, %s WHERE id = %s",
                state,
                SQL(", ").join(SQL("%s = %s", SQL.identifier(k), v) for k, v in legacy.items()),
                membership.id,
            )
        )
        self.env.invalidate_all()
        return membership

    def test_open_memberships_move_to_applications(self):
        partner = self._make_company("Migration Envoyee SRL", vat="BE0477472701")
        agent = self.env["res.partner"]._coop_create_agent(partner, "Claire Peeters", "claire@migration.example.com")
        sent = self._legacy(partner, "sent", commitment="annual", origin="online")
        sent.message_post(
            body="Called the company about its contract.", subject="Your contract", partner_ids=agent.partner_id.ids
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "contract-draft.txt", "raw": b"draft", "res_model": "coop.membership", "res_id": sent.id}
        )
        swiss_company = self._make_company("Migration Suisse SA", "ch")
        swiss = self._legacy(
            swiss_company,
            "signed",
            acceptance="pending",
            signatory_name="Anne Favre",
            signatory_capacity="Administratrice",
            signatory_has_power=True,
        )
        swiss.activity_schedule("mail.mail_activity_data_todo", summary="Review the application")
        swiss_activities = swiss.activity_ids
        member = self._make_member(self._make_company("Migration Membre SRL", vat="BE0403170701"))
        # the legacy contract was sent on its application date (``_legacy``)
        sent_vals = sent.read(["name", "date_application"])[0]
        messages = sent.message_ids
        sent_id, swiss_id = sent.id, swiss.id
        self._migrate()

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
                    "date_sent": sent_vals["date_application"],
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

    def test_signed_accepted_and_invoiced_is_concluded(self):
        """Signed, accepted and invoiced at signature before issue 15: only its register
        entry was missing; the migration concludes it and the entry reuses the invoice."""
        legacy = self._legacy(
            self._make_company("Migration Facturee SRL", vat="BE0477472701"),
            "signed",
            origin="online",
            date_application="2026-01-20",
            date_signed="2026-02-01",
            signatory_name="Claire Peeters",
            signatory_capacity="Managing director",
            signatory_has_power=True,
        )
        invoice = self._legacy_share_invoice(legacy)
        capital_before = self._capital_balance()
        self._migrate()
        self.assertRecordValues(legacy, [{"state": "registered", "b_shares": 1}])
        self.assertEqual(str(legacy.date_registered), "2026-02-01")
        self.assertEqual(legacy.share_line_ids.move_id, invoice, "the register entry reuses the invoice")
        self.assertEqual(self.env.company.currency_id.compare_amounts(self._capital_balance(), capital_before), 0)
        # issue 21: its journey's values are kept on a concluded application it points to
        self.assertRecordValues(
            legacy.application_id,
            [
                {
                    "state": "done",
                    "membership_id": legacy.id,
                    "origin": "online",
                    "acceptance": "auto",
                    "signatory_name": "Claire Peeters",
                    "signatory_capacity": "Managing director",
                    "signatory_has_power": True,
                }
            ],
        )

    def test_invoiced_while_waiting_for_staff_is_reversed_and_becomes_an_application(self):
        """Invoiced at signature before issue 15 although staff had not accepted it: its
        B-share invoice is cancelled by a posted credit note reconciled with it (nothing is
        invoiced before acceptance), and it becomes an application waiting for staff."""
        company = self._make_company("Migration Attente SA", "ch")
        legacy = self._legacy(
            company,
            "signed",
            origin="online",
            acceptance="pending",
            signatory_name="Anne Favre",
            signatory_capacity="Administratrice",
            signatory_has_power=True,
        )
        invoice = self._legacy_share_invoice(legacy)
        capital_before = self._capital_balance()
        self._migrate()
        refund = invoice.reversal_move_ids
        self.assertRecordValues(refund, [{"state": "posted", "move_type": "out_refund"}])
        self.assertEqual(refund.currency_id.compare_amounts(refund.amount_total, 1.00), 0)
        self.assertEqual(invoice.payment_state, "reversed", "the credit note is reconciled with the invoice")
        self.assertEqual(self.env.company.currency_id.compare_amounts(self._capital_balance(), capital_before - 1.0), 0)
        self.assertFalse(legacy.exists())
        application = self.env["coop.membership.application"].search([("partner_id", "=", company.id)])
        self.assertRecordValues(application, [{"state": "signed", "acceptance": "pending", "membership_id": False}])
        # accepted, it is concluded and invoiced again, once
        application.action_accept()
        membership = application.membership_id
        self.assertRecordValues(membership, [{"state": "active", "b_shares": 1}])
        self.assertEqual(self.env.company.currency_id.compare_amounts(self._capital_balance(), capital_before), 0)

    def test_membership_used_as_one_is_kept(self):
        """A membership in application state that other records already refer to (here a
        request to change its PM) was used as one: the upgrade keeps it, entered in the
        register, and says so on its chatter; nothing that refers to it is lost."""
        legacy = self._legacy(self._make_company("Migration Utilisee SRL", vat="BE0477472701"), "draft")
        request = self.env["coop.pm.change.request"].create({"membership_id": legacy.id, "reason": "Another PM"})
        capital_before = self._capital_balance()
        self._migrate()
        self.assertTrue(legacy.exists())
        self.assertRecordValues(legacy, [{"state": "registered", "b_shares": 1}])
        self.assertEqual(request.membership_id, legacy)
        self.assertEqual(self.env.company.currency_id.compare_amounts(self._capital_balance(), capital_before + 1.0), 0)
        self.assertIn("coop.pm.change.request", legacy.message_ids[0].body)
        # issue 21: a concluded application holds its journey's values
        self.assertRecordValues(legacy.application_id, [{"state": "done", "membership_id": legacy.id}])

    def test_notices_of_a_moved_membership_follow_it(self):
        partner = self._make_company("Migration Notifiee SRL", vat="BE0477472701")
        legacy = self._legacy(partner, "sent")
        notice = legacy._coop_send_notice("contract", subject="Your contract", body="<p>Contract</p>")
        self.assertEqual(notice.state, "no_recipient")
        self._migrate()
        application = self.env["coop.membership.application"].search([("partner_id", "=", partner.id)])
        self.assertRecordValues(notice, [{"application_id": application.id, "membership_id": False}])
        self.assertEqual(application.notice_undelivered_count, 1)
