"""The B2BiZen seed (SPEC 6) and art. 4.7: the member sees the collaborators proposed for
its mission with a partial profile (first name, photo, domains, languages, category and
status, the hourly rate billed to it), accepts or declines each step of the selection,
with a notification at each step; the full name once the mission has started."""

from datetime import date, timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import CoopBillingCommon
from .test_portal_languages import ENGLISH_LABELS, visible_text

#: a 1 x 1 PNG, the collaborator's photo
PIXEL_PNG = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestFaqB2bizenCollaboratorProfiles(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        Partner = cls.env["res.partner"]
        company = cls.member.partner_id
        cls.pm = cls.env["res.users"].create(
            {
                "name": "Pia PM",
                "login": "pia.pm.selection@example.com",
                "email": "pia.pm.selection@example.com",
                "group_ids": [(4, ref("coop_24pm_membership.group_coop_user").id)],
            }
        )
        cls.member.pm_id = cls.pm
        cls.agent = Partner._coop_create_agent(
            company,
            "Paul Projets",
            "paul.selection@example.com",
            finance=False,
            projects=True,
            password="paul-pass-1234",
        )
        cls.finance_agent = Partner._coop_create_agent(
            company,
            "Fiona Finances",
            "fiona.selection@example.com",
            finance=True,
            projects=False,
            password="fiona-pass-1234",
        )
        cls.other = cls._make_billing_member("Autre Atelier")
        cls.other_agent = cls._make_agent(
            cls.other,
            "Otto Autre",
            "otto.selection@example.com",
            finance=True,
            projects=True,
            password="otto-pass-1234",
        )
        # the profiles: Odoo's skills (a domain type of our own, languages of hr_skills)
        domains = cls.env["hr.skill.type"].create(
            {
                "name": "Domains",
                "skill_level_ids": [(0, 0, {"name": "Confirmed", "level_progress": 70, "default_level": True})],
                "skill_ids": [(0, 0, {"name": "Accounting"}), (0, 0, {"name": "Web development"})],
            }
        )
        accounting, web = domains.skill_ids.sorted("name")
        lang_type = ref("hr_skills.hr_skill_type_lang")
        Employee = cls.env["hr.employee"]
        cls.camille = Employee.create(
            {
                "name": "Camille Verhaegen",
                "work_email": "camille.verhaegen@24pm.example.com",
                "work_phone": "+32 2 555 01 01",
                "job_title": "Comptable",
                "coop_category_id": cls.cat_medior.id,
                "image_1920": PIXEL_PNG,
                "employee_skill_ids": [
                    (
                        0,
                        0,
                        {
                            "skill_type_id": domains.id,
                            "skill_id": accounting.id,
                            "skill_level_id": domains.skill_level_ids.id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "skill_type_id": lang_type.id,
                            "skill_id": ref("hr_skills.hr_skill_french").id,
                            "skill_level_id": ref("hr_skills.hr_skill_level_c2").id,
                        },
                    ),
                ],
            }
        )
        cls.bruno = Employee.create(
            {
                "name": "Bruno Wauters",
                "work_email": "bruno.wauters@24pm.example.com",
                "coop_category_id": cls.cat_senior.id,
                "employee_skill_ids": [
                    (
                        0,
                        0,
                        {"skill_type_id": domains.id, "skill_id": web.id, "skill_level_id": domains.skill_level_ids.id},
                    ),
                ],
            }
        )
        cls.today = fields.Date.today()
        cls.proposal = cls._make_proposal(cls.member, cls.task, cls.today + timedelta(days=10))
        cls.line_camille, cls.line_bruno = cls.proposal.line_ids.sorted("sequence")

    @classmethod
    def _make_proposal(cls, membership, task, date_start, employees=None):
        return cls.env["coop.mission.proposal"].create(
            {
                "name": "Mise en place comptable",
                "task_id": task.id,
                "date_start": date_start,
                "line_ids": [
                    (0, 0, {"employee_id": employee.id, "sequence": index})
                    for index, employee in enumerate(employees or (cls.camille, cls.bruno))
                ],
            }
        )

    def test_pm_proposes_from_the_form(self):
        """The PM's form: the task of the mission, a line per collaborator with its rate."""
        with Form(self.env["coop.mission.proposal"].with_user(self.pm)) as form:
            form.name = "Audit"
            form.task_id = self.task
            form.date_start = self.today
            with form.line_ids.new() as line:
                line.employee_id = self.bruno
        proposal = form.record
        self.assertRecordValues(proposal.line_ids, [{"rate_billed": 117.30, "state": "proposed"}])
        self.assertEqual(proposal.partner_id, self.member.partner_id)
        proposal.with_user(self.pm).action_propose()
        self.assertEqual(proposal.state, "proposed")

    def _member_notices(self):
        return self.member.notice_ids.filtered(lambda n: n.res_model == "coop.mission.proposal")

    def _pm_activities(self):
        return self.proposal.activity_ids.filtered(lambda a: a.user_id == self.pm)

    # ------------------------------------------------------------------
    # the partial profile and the rate billed
    # ------------------------------------------------------------------
    def test_partial_profile_first_name_photo_domains_languages_rate(self):
        profile = self.line_camille._coop_portal_profile(self.today)
        self.assertEqual(profile["name"], "Camille")
        self.assertFalse(profile["identity_shown"])
        self.assertFalse(profile["job_title"])
        self.assertTrue(profile["photo"].startswith("data:image/png;base64,"))
        self.assertEqual(profile["domains"], ["Accounting"])
        self.assertEqual(profile["languages"], ["French (C2)"])
        self.assertEqual(profile["category"], self.cat_medior.name)
        self.assertEqual(profile["rate"], 82.80)  # medior 60.00 x (1 + 38 %)
        # nothing else of the collaborator travels to the portal
        values = " ".join(str(value) for value in profile.values())
        for secret in ("Verhaegen", "camille.verhaegen", "555 01 01", "Comptable"):
            self.assertNotIn(secret, values)

    def test_rate_billed_is_the_rate_the_service_invoice_bills(self):
        """Art. 4.7: one hour of the collaborator costs the member the rate shown, to the
        cent; the senior's group rate changed on 1 June 2026 (80.00, then 85.00)."""
        self.assertEqual(self.line_bruno.rate_billed, 117.30)  # 85.00 x 1.38
        self.assertEqual(self.line_camille.rate_billed, 82.80)
        self._log(self.camille, 60, "2026-03-10")
        invoice = self._invoice_members(self.member, date(2026, 3, 31))
        self.assertEqual(invoice.amount_untaxed, self.line_camille.rate_billed)
        # a mission starting before the change would have shown the old senior rate
        Pricing = self.env["coop.service.pricing"]
        self.assertEqual(
            Pricing._get_hourly_rate_billed(self.member, self.bruno, self.service, date(2026, 5, 31)), 110.40
        )  # 80.00 x 1.38

    def test_collaborator_without_group_rate_cannot_be_proposed(self):
        employee = self.env["hr.employee"].create({"name": "Nina Sanscat"})
        with self.assertRaises(ValidationError) as refusal:  # Odoo's assertRaises: a savepoint
            self._make_proposal(self.member, self.task, self.today, employees=employee)
        self.assertIn("Art. 4.7", str(refusal.exception))
        self.assertFalse(self.env["coop.mission.proposal.line"].search([("employee_id", "=", employee.id)]))

    # ------------------------------------------------------------------
    # the steps, in order, each notified
    # ------------------------------------------------------------------
    def test_steps_shortlist_select_decline_each_notified(self):
        self.proposal.action_propose()
        self.assertEqual(self.proposal.state, "proposed")
        proposed = self._member_notices()
        self.assertEqual(len(proposed), 1)
        self.assertEqual(proposed.recipient_ids, self.agent.partner_id)  # the projects right only (SPEC 7.3)

        self.line_camille.with_user(self.agent).sudo().action_accept_step("proposed", agent=self.agent.partner_id)
        self.assertRecordValues(self.line_camille, [{"state": "interview", "decided_by_id": self.agent.partner_id.id}])
        self.assertEqual(len(self._member_notices()), 2)
        self.assertEqual(self._pm_activities().summary, "Organise the interview of Camille Verhaegen")

        self.line_camille.action_accept_step("interview", agent=self.agent.partner_id)
        self.assertEqual(self.line_camille.state, "selected")
        self.assertIn(self.camille, self.task.coop_mission_employee_ids)  # booked on the mission
        self.assertEqual(len(self._member_notices()), 3)
        selected = self._member_notices().filtered(lambda n: n.name == "Camille selected for Mise en place comptable")
        self.assertIn("billed 82.80&nbsp;€ per hour", selected.message_id.body)
        self.assertEqual(self.proposal.state, "proposed")  # Bruno is still to decide

        self.line_bruno.action_decline("proposed", reason="Profil trop technique", agent=self.agent.partner_id)
        self.assertRecordValues(self.line_bruno, [{"state": "declined", "decline_reason": "Profil trop technique"}])
        self.assertEqual(len(self._member_notices()), 4)
        self.assertIn(
            "Profil trop technique",
            self._pm_activities().filtered(lambda a: a.summary == "Collaborator declined: Bruno Wauters").note,
        )
        self.assertEqual(self.proposal.state, "done")
        self.assertNotIn(self.bruno, self.task.coop_mission_employee_ids)

    def test_step_out_of_order_refused_and_nothing_written(self):
        # not submitted to the member yet
        with self.assertRaisesRegex(UserError, "not waiting for your decision"):
            self.line_camille.action_accept_step("proposed")
        self.proposal.action_propose()
        # the interview step before the shortlist
        with self.assertRaisesRegex(UserError, "decided one after the other"):
            self.line_camille.action_accept_step("interview")
        self.assertEqual(self.line_camille.state, "proposed")
        self.line_camille.action_accept_step("proposed")
        # the same step twice (a second click, an old page)
        with self.assertRaisesRegex(UserError, "decided one after the other"):
            self.line_camille.action_accept_step("proposed")
        with self.assertRaisesRegex(UserError, "does not exist"):
            self.line_camille.action_accept_step("selected")
        self.line_bruno.action_decline("proposed")
        with self.assertRaisesRegex(UserError, "decided one after the other"):
            self.line_bruno.action_accept_step("proposed")
        self.assertEqual(self.line_bruno.state, "declined")
        self.assertEqual(self.line_camille.state, "interview")
        self.assertEqual(len(self._member_notices()), 3)  # proposed, shortlisted, declined

    def test_full_name_once_the_mission_has_started(self):
        self.proposal.action_propose()
        self.line_camille.action_accept_step("proposed")
        self.line_camille.action_accept_step("interview")
        start = self.proposal.date_start
        self.assertEqual(self.line_camille._coop_portal_profile(start - timedelta(days=1))["name"], "Camille")
        started = self.line_camille._coop_portal_profile(start)
        self.assertEqual(started["name"], "Camille Verhaegen")
        self.assertEqual(started["job_title"], "Comptable")
        self.assertNotIn("camille.verhaegen@", " ".join(str(value) for value in started.values()))
        # a declined collaborator is never named
        self.line_bruno.action_decline("proposed")
        self.assertEqual(self.line_bruno._coop_portal_profile(start)["name"], "Bruno")

    # ------------------------------------------------------------------
    # security: the records and the pages
    # ------------------------------------------------------------------
    def test_agents_cannot_read_collaborators_nor_other_members_proposals(self):
        # a draft is the PM's: the member sees the proposal once it is submitted
        with self.assertRaises(AccessError):
            self.proposal.with_user(self.agent).read(["name"])
        with self.assertRaises(UserError):
            self.env["coop.mission.proposal"].create(
                {"name": "Vide", "task_id": self.task.id, "date_start": self.today}
            ).action_propose()
        self.proposal.action_propose()
        with self.assertRaises(AccessError):
            self.camille.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            self.line_camille.with_user(self.agent).read(["employee_id"])
        self.assertEqual(self.proposal.with_user(self.agent).read(["name"])[0]["name"], "Mise en place comptable")
        with self.assertRaises(AccessError):
            self.proposal.with_user(self.other_agent).read(["name"])
        with self.assertRaises(AccessError):
            self.proposal.with_user(self.finance_agent).read(["name"])

    def test_pages_404_for_another_member_403_without_projects_right(self):
        self.proposal.action_propose()
        url = f"/my/membership/{self.member.id}/proposal/{self.proposal.id}"
        accept = f"{url}/line/{self.line_camille.id}/accept"
        self.authenticate("otto.selection@example.com", "otto-pass-1234")
        self.assertEqual(self.url_open(url).status_code, 404)
        # its own membership in the URL, our proposal: still nothing
        self.assertEqual(self.url_open(f"/my/membership/{self.other.id}/proposal/{self.proposal.id}").status_code, 404)
        response = self.url_open(accept, data={"step": "proposed", "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual(response.status_code, 404)
        self.authenticate("fiona.selection@example.com", "fiona-pass-1234")
        self.assertEqual(self.url_open(url).status_code, 403)
        response = self.url_open(accept, data={"step": "proposed", "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.line_camille.state, "proposed")

    def test_page_shows_the_partial_profile_and_refuses_a_step_out_of_order(self):
        self.proposal.action_propose()
        self.authenticate("paul.selection@example.com", "paul-pass-1234")
        self._log(self.camille, 30, self.today)  # half an hour: 41.40 on the upcoming invoice
        work = self.url_open(f"/my/membership/{self.member.id}/work")
        self.assertIn(f"/proposal/{self.proposal.id}", work.text)
        # the collaborators of the work page are priced the same way (art. 4.7)
        self.assertIn("82.80", work.text.split("o_coop_collaborators")[1].split("</table>")[0])
        self.assertIn("41.40", work.text)
        page = self.url_open(f"/my/membership/{self.member.id}/proposal/{self.proposal.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Camille", page.text)
        self.assertIn("Accounting", page.text)
        for secret in ("Verhaegen", "Wauters", "camille.verhaegen", "555 01 01"):
            self.assertNotIn(secret, page.text)
        url = f"/my/membership/{self.member.id}/proposal/{self.proposal.id}/line/{self.line_camille.id}"
        refused = self.url_open(
            f"{url}/accept", data={"step": "interview", "csrf_token": http.Request.csrf_token(self)}
        )
        self.assertIn("one after the other", refused.text)
        self.assertEqual(self.line_camille.state, "proposed")
        done = self.url_open(f"{url}/accept", data={"step": "proposed", "csrf_token": http.Request.csrf_token(self)})
        self.assertIn("o_coop_saved", done.text)
        self.assertEqual(self.line_camille.state, "interview")

    def test_french_tour_selection_steps(self):
        self.proposal.action_propose()
        lang = self.env["res.lang"]._activate_lang("fr_BE")
        self.agent.lang = "fr_BE"
        self.member.partner_id.lang = "fr_BE"
        self.start_tour(
            f"/{lang.url_code}/my/membership/{self.member.id}/work",
            "coop_collaborator_selection_tour",
            login="paul.selection@example.com",
        )
        self.assertRecordValues(
            self.proposal.line_ids.sorted("sequence"),
            [
                {"state": "selected", "decline_reason": False},
                {"state": "declined", "decline_reason": "Nous cherchons un profil comptable"},
            ],
        )
        self.assertEqual(self.proposal.state, "done")
        # the confirmations to the agents were written in French
        self.assertIn("Vous avez sélectionné Camille", " ".join(self._member_notices().message_id.mapped("body")))

    def test_portal_decline_bounded_reason_and_unknown_step(self):
        self.proposal.action_propose()
        self.authenticate("paul.selection@example.com", "paul-pass-1234")
        url = f"/my/membership/{self.member.id}/proposal/{self.proposal.id}/line/{self.line_bruno.id}/decline"
        token = http.Request.csrf_token(self)
        too_long = self.url_open(url, data={"step": "proposed", "reason": "x" * 5001, "csrf_token": token})
        self.assertIn("too long", too_long.text)
        unknown = self.url_open(url, data={"step": "hired", "reason": "Non", "csrf_token": token})
        self.assertIn("does not exist", unknown.text)
        self.assertRecordValues(self.line_bruno, [{"state": "proposed", "decline_reason": False}])
        # a line of another proposal through this one's URL: refused
        other_task = self.env["project.task"].create({"name": "Autre", "project_id": self.project.id})
        other = self._make_proposal(self.member, other_task, self.today, employees=self.bruno)
        other.action_propose()
        wrong = self.url_open(
            f"/my/membership/{self.member.id}/proposal/{self.proposal.id}/line/{other.line_ids.id}/decline",
            data={"step": "proposed", "csrf_token": token},
        )
        self.assertIn("not proposed for this mission", wrong.text)
        self.assertEqual(other.line_ids.state, "proposed")
        self.url_open(url, data={"step": "proposed", "reason": "Trop cher", "csrf_token": token})
        self.assertRecordValues(self.line_bruno, [{"state": "declined", "decline_reason": "Trop cher"}])

    def test_proposal_page_in_french_and_dutch(self):
        """Issue 22's rule on this page too: no English label, amounts in the language's format."""
        self.proposal.action_propose()
        labels = (
            *ENGLISH_LABELS,
            "Collaborators proposed",
            "Hourly rate billed",
            "Domains",
            "Languages",
            "Shortlist for an interview",
            "Decline",
            "VAT excluded",
            "Back to the work",
            "Proposed",
            "Mission starting on",
        )
        self.authenticate("paul.selection@example.com", "paul-pass-1234")
        url = f"/my/membership/{self.member.id}/proposal/{self.proposal.id}"
        for lang, rate in (("fr_BE", "82,80"), ("nl_BE", "82,80")):
            self.agent.lang = self.member.partner_id.lang = lang
            code = self.env["res.lang"]._activate_lang(lang).url_code
            nodes = visible_text(self.url_open(f"/{code}{url}").text)
            left = [label for label in labels for node in nodes if node == label or node.startswith(label + " ")]
            self.assertEqual(left, [], lang)
            self.assertIn(rate, " ".join(nodes))
