from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CoopCommon

VIES = "stdnum.eu.vat.check_vies"  # the remote call, the only thing replaced


def answer(name, address):
    return {"valid": True, "name": name, "address": address}


@tagged("post_install", "-at_install")
class TestFaqViesKeptInSync(CoopCommon):
    """FAQ ("Contrat") / SPEC 2.1.7: the legal name and address of a member follow VIES.
    A scheduled job re-checks active members monthly, records the changes on the
    membership and updates the company; staff without the manager right cannot change
    these fields by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company(
            "Brasserie du Parc SRL", vat="BE0477472701", street="Rue du Parc 12", zip="1000", city="Bruxelles"
        )
        cls.member = cls._make_member(cls.partner)
        cls.partner.coop_vies_date = "2026-01-05"
        cls.clerk = new_test_user(
            cls.env,
            "coop_clerk",
            groups="coop_24pm_membership.group_coop_user,base.group_partner_manager",
            company_id=cls.env.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            "coop_legal_manager",
            groups="coop_24pm_membership.group_coop_manager,base.group_partner_manager",
            company_id=cls.env.company.id,
        )

    def _run_job(self, on, vies_result=None, side_effect=None):
        with freeze_time(on), patch(VIES, return_value=vies_result, side_effect=side_effect) as remote:
            self.env["coop.vies.sync"]._cron_sync()
        return remote

    def _vies_notes(self):
        return self.member.message_ids.filtered(lambda m: "VIES" in (m.body or ""))

    def test_monthly_job_updates_the_company_and_records_the_change(self):
        cron = self.env.ref("coop_24pm_membership.ir_cron_membership_vies_sync")
        self.assertRecordValues(cron, [{"model_name": "coop.vies.sync", "code": "model._cron_sync()"}])
        remote = self._run_job("2026-02-06", answer("BRASSERIE DU PARC NOUVELLE SRL", "AVENUE LOUISE 5\n1050 IXELLES"))
        remote.assert_called_once_with("BE0477472701")
        self.assertRecordValues(
            self.partner,
            [
                {
                    "name": "BRASSERIE DU PARC NOUVELLE SRL",
                    "street": "AVENUE LOUISE 5",
                    "zip": "1050",
                    "city": "IXELLES",
                    "coop_vies_date": fields.Date.to_date("2026-02-06"),
                }
            ],
        )
        note = self._vies_notes()
        self.assertEqual(len(note), 1)
        for text in ("Brasserie du Parc SRL", "BRASSERIE DU PARC NOUVELLE SRL", "Rue du Parc 12", "AVENUE LOUISE 5"):
            self.assertIn(text, note.body)
        # checked this month: the next runs leave it alone until a month has passed
        self.assertFalse(self._run_job("2026-03-05", answer("X", "Y")).called)
        self.assertTrue(
            self._run_job(
                "2026-03-06", answer("BRASSERIE DU PARC NOUVELLE SRL", "AVENUE LOUISE 5\n1050 IXELLES")
            ).called
        )
        self.assertEqual(len(self._vies_notes()), 1)  # nothing changed: no new note
        self.assertEqual(self.partner.coop_vies_date, fields.Date.to_date("2026-03-06"))

    def test_vies_out_of_reach_changes_nothing_and_retries(self):
        self._run_job("2026-02-06", side_effect=OSError("network down"))
        self.assertRecordValues(
            self.partner,
            [{"name": "Brasserie du Parc SRL", "coop_vies_date": fields.Date.to_date("2026-01-05")}],
        )
        self.assertFalse(self._vies_notes())
        self.assertTrue(
            self._run_job("2026-02-07", answer("Brasserie du Parc SRL", "Rue du Parc 12\n1000 Bruxelles")).called
        )

    def test_number_no_longer_active_is_noted_on_the_membership(self):
        self._run_job("2026-02-06", {"valid": False, "name": "", "address": ""})
        self.assertEqual(self.partner.name, "Brasserie du Parc SRL")
        notes = self.member.message_ids.filtered(lambda m: "not an active VAT number" in (m.body or ""))
        self.assertEqual(len(notes), 1)

    def test_only_active_members_are_checked(self):
        former = self._make_company("Ancien Membre SRL", vat="BE0403170701")
        self._make_member(former, activate=False).action_terminate(date="2026-01-31", termination_type="notice")
        remote = self._run_job("2026-02-06", answer("Brasserie du Parc SRL", "Rue du Parc 12\n1000 Bruxelles"))
        remote.assert_called_once_with("BE0477472701")

    def test_legal_fields_read_only_without_the_manager_right(self):
        partner = self.partner.with_user(self.clerk)
        self.assertTrue(partner.coop_legal_readonly)
        self.assertFalse(self.partner.with_user(self.manager).coop_legal_readonly)
        for vals in ({"name": "Autre Nom SRL"}, {"street": "Rue Neuve 1"}, {"vat": "BE0403170701"}):
            with self.assertRaises(UserError) as refused:
                partner.write(vals)
            self.assertIn("VIES", str(refused.exception))
        self.assertRecordValues(self.partner, [{"name": "Brasserie du Parc SRL", "street": "Rue du Parc 12"}])
        partner.write({"phone": "+32 2 123 45 67"})  # other fields stay editable
        # the clerk may update from VIES (the source), from the membership form
        with patch(VIES, return_value=answer("BRASSERIE DU PARC SRL", "RUE DU PARC 14\n1000 BRUXELLES")):
            self.member.with_user(self.clerk).action_coop_check_vies()
        self.assertEqual(self.partner.street, "RUE DU PARC 14")
        self.assertEqual(len(self._vies_notes()), 1)
        # a manager corrects by hand
        self.partner.with_user(self.manager).write({"street": "Rue du Parc 14 bte 2"})
        self.assertEqual(self.partner.street, "Rue du Parc 14 bte 2")
