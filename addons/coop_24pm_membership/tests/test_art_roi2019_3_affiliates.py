"""ROI 2019 art. 3 (ROI 2021 art. 2 and 3): an affiliation contract is concluded before the
2021 regulation came into force (1 May 2021) and stays under the 2019 regulation until the
affiliate migrates, by a transfer contract, to the current regulation; the contract
continues with its history, its B share and its guarantee."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestArtRoi2019_3Affiliates(CoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.atelier = cls._make_company("Atelier Affilié SRL", vat="BE0477472701", lang="en_US")
        with freeze_time("2020-03-02"):
            cls.affiliate = cls._make_member(cls.atelier, date="2020-03-02", regulation=cls.roi_2019, activate=False)
        cls.manager = Partner._coop_create_agent(
            cls.atelier, "Luc Gérant", "luc.affilie@example.com", agents=True, password="luc-affilie-pass"
        )

    def _count(self, model, partner):
        return self.env[model].search_count([("partner_id", "=", partner.id)])

    def _history(self, membership):
        """The regulation history, as the membership form's smart button lists it."""
        return self._coop_smart_button_records(membership, "coop_membership_regulation_history_action_membership")

    def _transfers(self, membership):
        return self._coop_smart_button_records(membership, "coop_membership_transfer_action_membership")

    # ------------------------------------------------------------------
    # affiliations only before 1 May 2021
    # ------------------------------------------------------------------
    def test_affiliation_concluded_before_1_may_2021(self):
        self.assertRecordValues(
            self.affiliate,
            [
                {
                    "membership_type": "affiliate",
                    "regulation_id": self.roi_2019.id,
                    "state": "registered",
                    "date_registered": fields.Date.to_date("2020-03-02"),
                    "b_shares": 1,
                }
            ],
        )
        self.assertEqual(self.roi_2019._get_affiliation_deadline(), fields.Date.to_date("2021-05-01"))
        partner = self._make_company("Dernier Affilié SRL", vat="BE0403170701")
        with freeze_time("2021-04-30"):
            late = self._make_member(partner, date="2021-04-30", regulation=self.roi_2019, activate=False)
        self.assertEqual(late.membership_type, "affiliate")

    def test_affiliation_dated_2022_refused(self):
        partner = self._make_company("Trop Tard SRL", vat="BE0403170701")
        with (
            freeze_time("2022-03-01"),
            self.assertRaisesRegex(ValidationError, r"ROI 2019 art. 3: .* before 1 May 2021"),
        ):
            self._make_application(partner, regulation=self.roi_2019)
        self.assertEqual(self._count("coop.membership.application", partner), 0)
        # a direct create (e.g. by a script) obeys the same rule
        with self.assertRaisesRegex(ValidationError, r"ROI 2019 art. 3: .* before 1 May 2021"):
            self._make_membership(partner, regulation=self.roi_2019, date_application="2022-01-10")
        self.assertEqual(self._count("coop.membership", partner), 0)

    def test_affiliation_concluded_on_1_may_2021_refused(self):
        """Signed under the 2019 regulation in April, entered in the register in May: too late."""
        partner = self._make_company("Avril SRL", vat="BE0403170701")
        with freeze_time("2021-04-20"):
            application = self._make_application(partner, regulation=self.roi_2019)
            application.action_send_contract()
            application.action_sign("2021-04-20", "Anne Avril", "Managing director", True)
        with self.assertRaisesRegex(ValidationError, r"ROI 2019 art. 3: .*1 May 2021.* before 1 May 2021"):
            application.action_conclude("2021-05-01")
        self.assertRecordValues(application, [{"state": "signed", "membership_id": False}])
        self.assertEqual(self._count("coop.membership", partner), 0)
        self.assertEqual(self._count("coop.share.line", partner), 0)

    def test_import_existing_affiliations(self):
        """A CSV of the existing affiliates, through Odoo's standard import (``load``)."""
        partner = self._make_company("Importé SRL", vat="BE0403170701")
        other = self._make_company("Importé Trop Tard SRL", vat="BE0458402105")
        header = ["partner_id", "regulation_id", "date_signed", "date_registered", "state"]
        result = self.env["coop.membership"].load(
            header, [[partner.name, self.roi_2019.name, "2020-06-15", "2020-06-20", "active"]]
        )
        self.assertEqual(result["messages"], [])
        imported = self.env["coop.membership"].browse(result["ids"])
        self.assertRecordValues(
            imported,
            [
                {
                    "partner_id": partner.id,
                    "regulation_id": self.roi_2019.id,
                    "membership_type": "affiliate",
                    "state": "active",
                    # the application date of an imported affiliation is its signature, not the import's day
                    "date_application": fields.Date.to_date("2020-06-15"),
                    "date_registered": fields.Date.to_date("2020-06-20"),
                }
            ],
        )
        refused = self.env["coop.membership"].load(
            header, [[other.name, self.roi_2019.name, "2022-02-01", "2022-02-01", "active"]]
        )
        self.assertFalse(refused["ids"])
        self.assertEqual(len(refused["messages"]), 1)
        self.assertRegex(refused["messages"][0]["message"], r"ROI 2019 art. 3: .* before 1 May 2021")
        self.assertEqual(self._count("coop.membership", other), 0)

    # ------------------------------------------------------------------
    # the transfer contract
    # ------------------------------------------------------------------
    def _start_transfer(self, membership, regulation, date_transfer):
        action = membership.action_start_transfer()
        transfer = self.env["coop.membership.transfer"].browse(action["res_id"])
        transfer.write({"new_regulation_id": regulation.id, "date_transfer": date_transfer})
        return transfer

    def test_transfer_keeps_share_guarantee_and_history(self):
        capital_before = self._capital_balance()
        shares_before = self.affiliate.share_line_ids
        moves_before = self.env["account.move"].search_count([("partner_id", "=", self.atelier.id)])
        with freeze_time("2026-02-10"):
            transfer = self._start_transfer(self.affiliate, self.roi_2023, "2026-03-01")
            self.assertRecordValues(transfer, [{"state": "draft", "old_regulation_id": self.roi_2019.id}])
            transfer.action_send()
            sent_notice = self.env["coop.notice"].search(
                [("membership_id", "=", self.affiliate.id), ("kind", "=", "transfer")]
            )
            self.assertEqual(len(sent_notice), 1)
            self.assertIn(self.manager.partner_id, sent_notice.recipient_ids)
            self.assertIn(f"/transfer/{transfer.id}", sent_notice.message_id.body)
            transfer.action_sign("2026-02-10", "Luc Gérant", "Managing director", True, user=self.manager)
        # signed before its date: it applies on 1 March
        self.assertRecordValues(
            transfer, [{"state": "signed", "sign_channel": "portal", "signed_by_user_id": self.manager.id}]
        )
        self.assertEqual(self.affiliate.regulation_id, self.roi_2019)
        with freeze_time("2026-02-20"), self.assertRaisesRegex(UserError, "applies from"):
            transfer.action_apply()
        self.assertEqual(transfer.state, "signed")
        with freeze_time("2026-03-01"):
            self.assertEqual(self.env["coop.membership.transfer"]._cron_apply_due(), 1)
        self.assertRecordValues(transfer, [{"state": "done", "date_done": fields.Date.to_date("2026-03-01")}])
        self.assertRecordValues(
            self.affiliate,
            [{"regulation_id": self.roi_2023.id, "membership_type": "member", "state": "registered", "b_shares": 1}],
        )
        # the B share is kept: no new subscription, no new entry, capital unchanged to the cent
        self.assertEqual(self.affiliate.share_line_ids, shares_before)
        self.assertAlmostEqual(self._capital_balance(), capital_before, places=2)
        self.assertEqual(self.env["account.move"].search_count([("partner_id", "=", self.atelier.id)]), moves_before)
        # the history: which regulation from which date
        self.assertRecordValues(
            self._history(self.affiliate),
            [
                {
                    "regulation_id": self.roi_2019.id,
                    "date_from": fields.Date.to_date("2020-03-02"),
                    "date_to": fields.Date.to_date("2026-02-28"),
                    "transfer_id": False,
                },
                {
                    "regulation_id": self.roi_2023.id,
                    "date_from": fields.Date.to_date("2026-03-01"),
                    "date_to": False,
                    "transfer_id": transfer.id,
                },
            ],
        )
        # the signed contract is a document of the membership; the agents get the confirmation
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "coop.membership"),
                    ("res_id", "=", self.affiliate.id),
                    ("name", "like", "transfer"),
                ]
            ),
            1,
        )
        notices = self.env["coop.notice"].search(
            [("membership_id", "=", self.affiliate.id), ("kind", "=", "transfer")], order="id"
        )
        self.assertEqual(len(notices), 2)
        self.assertIn("is governed by ROI 2023 instead of ROI 2019", notices[-1].message_id.body)
        self.assertIn(self.manager.partner_id, notices[-1].recipient_ids)

    def test_transfer_signed_on_paper_applies_at_once(self):
        with freeze_time("2026-02-10"):
            transfer = self._start_transfer(self.affiliate, self.roi_2021, "2026-02-10")
            transfer.action_send()
            transfer.write(
                {"signatory_name": "Luc Gérant", "signatory_capacity": "Gérant", "signatory_has_power": True}
            )
            transfer.action_record_paper_signature()
        self.assertRecordValues(transfer, [{"state": "done", "sign_channel": "paper", "signed_by_user_id": False}])
        self.assertEqual(self.affiliate.regulation_id, self.roi_2021)

    def test_transfer_confirmation_in_the_member_language(self):
        self.env["res.lang"]._activate_lang("fr_BE")
        self.env["ir.module.module"]._load_module_terms(["coop_24pm_membership"], ["fr_BE"], overwrite=True)
        self.atelier.lang = "fr_BE"
        with freeze_time("2026-02-10"):
            transfer = self._start_transfer(self.affiliate, self.roi_2023, "2026-02-10")
            transfer.action_send()
            transfer.action_sign("2026-02-10", "Luc Gérant", "Gérant", True, user=self.manager)
        notice = self.env["coop.notice"].search(
            [("membership_id", "=", self.affiliate.id), ("kind", "=", "transfer")], order="id desc", limit=1
        )
        self.assertIn("est régi par ROI 2023", notice.message_id.body)

    # ------------------------------------------------------------------
    # bad input
    # ------------------------------------------------------------------
    def test_transfer_of_a_member_not_under_2019_refused(self):
        member = self._make_member(self._make_company("Membre 2023 SRL", vat="BE0403170701"), activate=False)
        with self.assertRaisesRegex(UserError, r"ROI 2019 art. 3: only an affiliate under the 2019 regulation"):
            member.action_start_transfer()
        with self.assertRaisesRegex(UserError, r"ROI 2019 art. 3: only an affiliate"):
            self.env["coop.membership.transfer"].create({"membership_id": member.id})
        self.assertFalse(self._transfers(member))

    def test_transfer_of_a_terminated_affiliate_refused(self):
        self.affiliate.action_terminate(date="2026-01-31")
        with self.assertRaisesRegex(UserError, r"ROI 2019 art. 3: the contract of .* is terminated"):
            self.affiliate.action_start_transfer()
        self.assertFalse(self._transfers(self.affiliate))

    def test_transfer_terminated_after_sending_refused_at_signature(self):
        with freeze_time("2026-02-10"):
            transfer = self._start_transfer(self.affiliate, self.roi_2023, "2026-03-01")
            transfer.action_send()
            self.affiliate.action_terminate(date="2026-02-10")
            with self.assertRaisesRegex(UserError, r"is terminated"):
                transfer.action_sign("2026-02-10", "Luc Gérant", "Gérant", True, user=self.manager)
        self.assertEqual(transfer.state, "sent")

    def test_transfer_signature_needs_name_capacity_and_power(self):
        with freeze_time("2026-02-10"):
            transfer = self._start_transfer(self.affiliate, self.roi_2023, "2026-03-01")
            transfer.action_send()
            with self.assertRaisesRegex(UserError, "power to bind"):
                transfer.action_sign("2026-02-10", "Luc Gérant", "Gérant", False, user=self.manager)
            with self.assertRaisesRegex(UserError, "name and the capacity"):
                transfer.action_sign("2026-02-10", "Luc Gérant", " ", True, user=self.manager)
        self.assertRecordValues(transfer, [{"state": "sent", "date_signed": False}])

    def test_transfer_to_a_regulation_not_in_force_or_to_2019_refused(self):
        transfer = self._start_transfer(self.affiliate, self.roi_2023, "2026-03-01")
        with self.assertRaisesRegex(ValidationError, "ROI 2023 is in force from"):
            transfer.date_transfer = "2023-01-01"
        with self.assertRaisesRegex(ValidationError, "migrates to a regulation for members"):
            transfer.new_regulation_id = self.roi_2019
        # one transfer in progress per affiliate: the button opens it again
        self.assertEqual(self.affiliate.action_start_transfer()["res_id"], transfer.id)

    def test_transfer_steps_follow_their_states(self):
        transfer = self._start_transfer(self.affiliate, self.roi_2023, "2026-03-01")
        with self.assertRaisesRegex(UserError, "this action needs the state 'Sent'"):
            transfer.action_sign("2026-02-10", "Luc Gérant", "Gérant", True)
        transfer.action_cancel()
        with self.assertRaisesRegex(UserError, "this action needs the state"):
            transfer.action_send()

    def test_affiliate_not_notified_of_a_new_regulation(self):
        """Art. 3: an affiliate changes regime only by a transfer contract, not by art. 11.1."""
        with self.assertRaisesRegex(UserError, r"ROI 2019 art. 3: Atelier Affilié SRL stay\(s\) under the 2019"):
            self.affiliate._notify_regulation_change(self.roi_2023)
        self.assertFalse(self.env["coop.regulation.change"].search([("membership_id", "=", self.affiliate.id)]))
        self.assertEqual(self.affiliate.regulation_id, self.roi_2019)

    def test_regulation_change_recorded_in_the_history(self):
        with freeze_time("2026-01-05"):
            member = self._make_member(
                self._make_company("Membre 2021 SRL", vat="BE0403170701"), regulation=self.roi_2021, activate=False
            )
            change = member._notify_regulation_change(self.roi_2023)
        with freeze_time("2026-02-01"):
            change.action_apply()
        self.assertRecordValues(
            self._history(member),
            [
                {
                    "regulation_id": self.roi_2021.id,
                    "date_from": fields.Date.to_date("2026-01-05"),
                    "date_to": fields.Date.to_date("2026-01-31"),
                },
                {"regulation_id": self.roi_2023.id, "date_from": fields.Date.to_date("2026-02-01"), "date_to": False},
            ],
        )
