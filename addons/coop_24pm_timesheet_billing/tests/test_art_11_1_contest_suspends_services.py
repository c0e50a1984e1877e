from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


class ContestCommon(CoopBillingCommon):
    """Art. 11.1 (SPEC 1, 7.4): a contest of a new regulation suspends the services it
    concerns for the member until the contest ends (withdrawn, or applied after agreement)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a second service of the cooperative, on its own task of the member's project
        cls.translation = cls.env["product.product"].create({"name": "Traduction", "type": "service"})
        cls.env["coop.group.rate"].create(
            {
                "product_id": cls.translation.id,
                "category_id": cls.cat_medior.id,
                "rate": 50.0,
                "date_from": "2020-01-01",
            }
        )
        cls.translation_task = cls.env["project.task"].create(
            {"name": "Brochure NL", "project_id": cls.project.id, "coop_product_id": cls.translation.id}
        )

    def _notify(self, products=None, member=None):
        """Staff notify ROI 2023 with the backend wizard (``products``: the services it
        concerns; None: the wizard's default, every service of the cooperative)."""
        member = member or self.member
        vals = {"new_regulation_id": self.roi_2023.id, "membership_ids": [Command.set(member.ids)]}
        if products is not None:
            vals["product_ids"] = [Command.set(products.ids)]
        with freeze_time("2026-03-01"):
            self.env["coop.regulation.notify.wizard"].create(vals).action_notify()
        return self.env["coop.regulation.change"].search(
            [("membership_id", "=", member.id), ("new_regulation_id", "=", self.roi_2023.id)]
        )

    def _contest(self, change, on="2026-03-05"):
        with freeze_time(on):
            change.action_contest("Les nouveaux délais de préavis ne nous conviennent pas.")


@tagged("post_install", "-at_install")
class TestContestSuspendsServices(ContestCommon):
    def test_wizard_concerns_every_service_by_default(self):
        change = self._notify()
        self.assertLessEqual(self.service | self.translation, change.product_ids)
        self.assertEqual(self.member.regulation_id, self.basic_2021.regulation_id)

    def test_contest_suspends_the_services_concerned_until_withdrawn(self):
        # time logged before the contest: priced (60.00 x 1.38 = 82.80), the tables cached
        before = self._log(self.medior, 60, "2026-03-04")
        self.assertAlmostEqual(before.coop_amount, 82.80, places=2)
        change = self._notify(products=self.service)
        self._contest(change)
        self.assertRecordValues(change, [{"state": "contested", "product_ids": self.service.ids}])
        count = self.env["account.analytic.line"].search_count([])
        # right after the contest, in the same transaction: the cached tables were cleared
        with self.assertRaises(UserError) as refused:
            self._log(self.medior, 60, "2026-03-05")
        self.assertIn("suspended until the contest ends (art. 11.1)", str(refused.exception))
        with self.assertRaises(UserError):
            self._log(self.junior, 30, "2026-03-09")
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count, "nothing written")
        # no new work on the concerned service either
        with self.assertRaises(UserError) as refused:
            self.env["project.task"].create({"name": "New page", "project_id": self.project.id})
        self.assertIn("suspended until the contest ends (art. 11.1)", str(refused.exception))
        # another service goes on: 50.00 x 1.38 = 69.00
        other = self._log(self.medior, 60, "2026-03-05", task=self.translation_task)
        self.assertAlmostEqual(other.coop_amount, 69.00, places=2)
        self.env["project.task"].create(
            {"name": "Brochure FR", "project_id": self.project.id, "coop_product_id": self.translation.id}
        )
        # the work done before the contest stays billable, even entered late
        late = self._log(self.medior, 30, "2026-03-04")
        self.assertAlmostEqual(late.coop_amount, 41.40, places=2)
        billable = self.env["account.analytic.line"].search(
            self.env["account.analytic.line"]._coop_billable_domain(self.member)
        )
        self.assertEqual(billable, before | other | late)
        # a manager of the cooperative may log time despite the contest, with the reason
        forced = self._log(
            self.medior, 60, "2026-03-06", coop_state_override_reason="Correction urgente demandée par le membre"
        )
        self.assertAlmostEqual(forced.coop_amount, 82.80, places=2)
        # the contest ends: staff withdraw the change, the services resume at once
        change.action_withdraw()
        self.assertAlmostEqual(self._log(self.medior, 60, "2026-03-10").coop_amount, 82.80, places=2)
        self.env["project.task"].create({"name": "New page", "project_id": self.project.id})
        self.assertEqual(self.member.regulation_id, self.basic_2021.regulation_id)

    def test_contest_ends_when_applied_after_agreement(self):
        change = self._notify()
        self._contest(change)
        with self.assertRaises(UserError):
            self._log(self.medior, 60, "2026-03-06", task=self.translation_task)
        change.action_apply()
        self.assertEqual(self.member.regulation_id, self.roi_2023)
        resumed = self._log(self.medior, 60, "2026-03-06", task=self.translation_task)
        self.assertAlmostEqual(resumed.coop_amount, 69.00, places=2)

    def test_change_concerning_no_service_of_the_member_suspends_nothing(self):
        strategist = self._make_strategist_rate()
        change = self._notify(products=strategist)
        self._contest(change)
        self.assertAlmostEqual(self._log(self.medior, 60, "2026-03-06").coop_amount, 82.80, places=2)
        self.env["project.task"].create({"name": "New page", "project_id": self.project.id})
        # nor a change concerning no service at all
        other = self._make_billing_member("Brasserie Sans Service")
        change = self._notify(products=self.env["product.product"], member=other)
        self._contest(change)
        task = self.env["project.task"].create(
            {"name": "Menu", "project_id": self.env["project.project"]._coop_projects_of(other).id}
        )
        self.assertAlmostEqual(self._log(self.medior, 60, "2026-03-06", task=task).coop_amount, 82.80, places=2)

    def test_pm_activity_says_the_services_are_suspended(self):
        change = self._notify(products=self.service)
        self._contest(change)
        activity = self.member.activity_ids.filtered(lambda a: "ROI 2023" in (a.summary or ""))
        self.assertEqual(len(activity), 1)
        self.assertIn("suspended", activity.note)
        self.assertIn(self.service.name, activity.note)


@tagged("post_install", "-at_install")
class TestContestSuspensionPortal(ContestCommon, HttpCase):
    def test_portal_shows_the_services_suspended(self):
        self._make_agent(self.member, "Agent Contest", "contest.a@example.com", password="contest-a-pass")
        change = self._notify(products=self.service)
        self._contest(change)
        self.authenticate("contest.a@example.com", "contest-a-pass")
        page = self.url_open(f"/my/membership/{self.member.id}").text
        self.assertIn("o_coop_contest_suspended", page)
        self.assertIn(self.service.name, page)
        change.action_withdraw()
        self.assertNotIn("o_coop_contest_suspended", self.url_open(f"/my/membership/{self.member.id}").text)
