from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestSuspensionEpisodes(CoopCommon):
    """Art. 4.3: each formal notice and the suspension that may follow is an episode of its
    own (``coop.membership.suspension``): the membership points to the one in progress and
    keeps the others as its history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._make_member(cls._make_company("Souvent SRL", vat="BE0403170701"))
        cls.agent = cls.env["res.partner"]._coop_create_agent(
            cls.member.partner_id, "Sam Souvent", "sam@souvent.example.com", finance=True, projects=True
        )
        cls.other = cls._make_member(cls._make_company("Voisin SRL", vat="BE0477472701"))

    def _episodes(self, membership):
        """The episodes, as the membership form's smart button lists them."""
        return self._coop_smart_button_records(membership, "coop_membership_suspension_action_membership")

    def test_two_formal_notices_in_a_year_are_two_episodes(self):
        with freeze_time("2026-03-02 09:00:00"):
            self.member.action_formal_notice("The registered office moved")
            first = self.member.suspension_id
            self.member.action_clear_formal_notice()
        self.assertFalse(self.member.suspension_id, "data corrected: nothing in progress")
        self.assertRecordValues(
            first,
            [
                {
                    "state": "lifted",
                    "formal_notice_reason": "The registered office moved",
                    "date_lifted": date(2026, 3, 2),
                }
            ],
        )
        with freeze_time("2026-09-07 09:00:00"):
            self.member.action_formal_notice("The VAT number changed")
            second = self.member.suspension_id
            self.member.action_suspend(reason="Data not corrected")
        self.assertNotEqual(first, second)
        self.assertEqual(self._episodes(self.member), first | second)
        self.assertEqual(second.state, "suspended")
        self.assertEqual(second.display_name, "Suspended on 09/07/2026")
        self.assertEqual(first.display_name, "Formal notice", "never delivered")
        # "Data corrected" does not lift a suspension: resuming does
        self.member.action_clear_formal_notice()
        self.assertEqual(self.member.suspension_id, second)
        with freeze_time("2026-09-10 09:00:00"):
            self.member.action_resume()
        self.assertRecordValues(
            second,
            [
                {
                    "state": "lifted",
                    "formal_notice_reason": "The VAT number changed",
                    "date_suspended": date(2026, 9, 7),
                    "suspension_reason": "Data not corrected",
                    "date_lifted": date(2026, 9, 10),
                }
            ],
        )
        self.assertEqual(self.member.state, "active")

    def test_formal_notice_typed_in_its_form(self):
        """The membership's button opens the episode's form: the reason typed there is sent."""
        action = self.member.action_open_formal_notice()
        self.assertEqual((action["res_model"], action["res_id"]), ("coop.membership.suspension", False))
        episode = self.env["coop.membership.suspension"].with_context(**action["context"]).create({})
        episode.formal_notice_reason = "The managing director changed"
        episode.action_send_formal_notice()
        self.assertEqual(self.member.suspension_id, episode)
        notice = self.member.notice_ids.filtered(lambda n: n.kind == "formal_notice")
        self.assertEqual(len(notice), 1)
        self.assertIn("The managing director changed", notice.message_id.body or notice.body or "")
        # the one in progress opens again, and is sent again with its reason
        self.assertEqual(self.member.action_open_formal_notice()["res_id"], episode.id)
        episode.action_send_formal_notice()
        self.assertEqual(len(self.member.notice_ids.filtered(lambda n: n.kind == "formal_notice")), 2)
        # an episode that is over is not sent, nor one beside the one in progress
        episode.action_clear_formal_notice()
        with self.assertRaisesRegex(UserError, "not the one in progress"):
            episode.action_send_formal_notice()
        self.member.action_formal_notice("The e-mail address bounces")
        beside = self.env["coop.membership.suspension"].create(
            {"membership_id": self.member.id, "formal_notice_reason": "Something else"}
        )
        with self.assertRaisesRegex(UserError, "not the one in progress"):
            beside.action_send_formal_notice()

    def test_formal_notice_without_reason_refused(self):
        episode = self.env["coop.membership.suspension"].create({"membership_id": self.member.id})
        with self.assertRaisesRegex(UserError, "Say which data is wrong or outdated"):
            episode.action_send_formal_notice()

    def test_agent_reads_its_own_members_suspension_only(self):
        self.member.action_suspend(reason="Unpaid invoices")
        self.other.action_suspend(reason="Outdated address")
        member = self.member.with_user(self.agent)
        # the portal's refusal says why (SPEC 7.4), read as the agent
        with self.assertRaisesRegex(UserError, "read-only: Unpaid invoices"):
            member._coop_check_portal_action("request")
        self.assertEqual(
            self.env["coop.membership.suspension"].with_user(self.agent).search([]), self.member.suspension_id
        )
        with self.assertRaises(AccessError):
            self.other.suspension_id.with_user(self.agent).read(["suspension_reason"])
        with self.assertRaises(AccessError):
            self.member.suspension_id.with_user(self.agent).write({"suspension_reason": "Nothing"})

    def test_suspended_without_its_episode_is_resumed(self):
        """A membership suspended before its episodes were recorded (none migrated) resumes
        as before: active, and the lifting is recorded."""
        self.other.state = "suspended"
        self.other.action_resume()
        self.assertEqual(self.other.state, "active")
        self.assertRecordValues(self._episodes(self.other), [{"state": "lifted", "date_suspended": False}])
        self.assertFalse(self.other.suspension_id)
