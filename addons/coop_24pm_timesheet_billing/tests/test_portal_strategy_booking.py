"""Issue 16, SPEC 3.1: the member's agent books the strategic follow-up its plan includes
from the portal; what exceeds the quota is priced at the strategist rate (plus the plan's
margin) and booked only once that price is accepted."""

from datetime import datetime, timedelta

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestPortalStrategyBooking(CoopBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strategist_product = cls._make_strategist_rate()
        cls.strategist = cls.env["res.users"].create(
            {"name": "Stella Stratège", "login": "stella@24pm.example.com", "email": "stella@24pm.example.com"}
        )
        # Basic 2023: one meeting a month, up to 2 h 30, margin 38 %
        cls.client = cls._make_billing_member("Stratégie SRL", cls.basic_2023)
        cls.client.contract_id.coop_strategist_id = cls.strategist
        cls.agent = cls._make_agent(
            cls.client,
            "Paul Projets",
            "paul.strat@example.com",
            finance=False,
            projects=True,
            password="paul-strat-pass",
        )
        cls.agent.tz = "Europe/Brussels"
        cls.finance = cls._make_agent(
            cls.client,
            "Fiona Finances",
            "fiona.strat@example.com",
            finance=True,
            projects=False,
            password="fiona-strat-pass",
        )
        cls.other = cls._make_billing_member("Voisine SRL", cls.basic_2023)
        cls._make_agent(cls.other, "Otto Voisin", "otto.strat@example.com", password="otto-strat-pass")

    def _book(self, membership, **values):
        data = {"kind": "meeting", "date": "2027-01-12", "time": "10:00", "hours": "2", "topic": "Plan 2027"}
        data.update(values)
        return self.url_open(
            f"/my/plan/{membership.id}/book", data={**data, "csrf_token": http.Request.csrf_token(self)}
        )

    def _items(self, membership):
        return self.env["coop.strategy.item"]._coop_items_of(membership).filtered("event_id")

    def test_meeting_in_the_quota_then_one_beyond_it_at_its_price(self):
        self.authenticate("paul.strat@example.com", "paul-strat-pass")
        page = self.url_open("/my/plan")
        self.assertIn("o_coop_book", page.text)
        self.assertIn("165.60", page.text)  # one strategist hour beyond the plan: 120.00 x 1.38
        self.assertIn("o_coop_booked", self._book(self.client).text)
        item = self._items(self.client)
        self.assertRecordValues(
            item,
            [
                {
                    "kind": "meeting",
                    "hours": 2.0,
                    "is_included": True,
                    "billable_hours": 0.0,
                    "user_id": self.strategist.id,
                }
            ],
        )
        event = item.event_id
        self.assertEqual(event.start, datetime(2027, 1, 12, 9, 0))  # 10:00 in Brussels
        self.assertEqual(event.stop, datetime(2027, 1, 12, 11, 0))
        self.assertEqual(event.partner_ids, self.agent.partner_id | self.strategist.partner_id)
        notice = self.client.notice_ids.filtered(lambda n: n.kind == "projects")
        self.assertEqual(notice.recipient_ids, self.agent.partner_id)
        # a second meeting in January is beyond the quota: refused until its price is accepted
        refused = self._book(self.client, date="2027-01-19", hours="1.5")
        self.assertIn("248.40", refused.text)  # 1.5 h x 120.00 x 1.38
        self.assertEqual(len(self._items(self.client)), 1)
        self._book(self.client, date="2027-01-19", hours="1.5", price_accepted="1")
        extra = self._items(self.client) - item
        self.assertRecordValues(extra, [{"is_included": False, "billable_hours": 1.5}])
        self.assertEqual(self.env["coop.service.pricing"]._price_strategy_items(extra)[extra][2], 248.40)

    def test_bad_input_and_rights(self):
        self.authenticate("paul.strat@example.com", "paul-strat-pass")
        for values, message in (
            ({"date": "2020-01-12"}, "from today on"),
            ({"kind": "study_report_free"}, "Choose what to book"),
            ({"time": "25:99"}, "not a valid time"),
            ({"hours": "12"}, "between"),
            ({"topic": "  "}, "Give the topic"),
        ):
            self.assertIn(message, self._book(self.client, **values).text)
        self.assertFalse(self._items(self.client))
        # an agent without the projects right, another member's agent
        self.authenticate("fiona.strat@example.com", "fiona-strat-pass")
        self.assertEqual(self._book(self.client).status_code, 403)
        self.assertNotIn("o_coop_book", self.url_open("/my/plan").text)
        self.authenticate("otto.strat@example.com", "otto-strat-pass")
        response = self._book(self.client)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Stratégie SRL", response.text)
        self.assertFalse(self._items(self.client))

    def test_partner_2023_two_free_study_reports_a_year(self):
        partner = self._make_billing_member("Partenaire SRL", self.partner_2023)
        partner.contract_id.coop_strategist_id = self.strategist
        Item = self.env["coop.strategy.item"]
        first, second, third = (
            Item._coop_book(partner, "study_report", datetime(2027, 2, day, 9, 0), 2.0, "Market", price_accepted=True)
            for day in (1, 2, 3)
        )
        self.assertEqual((first.is_included, second.is_included, third.is_included), (True, True, False))
        self.assertEqual(third.billable_hours, 10.0)
        # the member's strategist prepares each report
        self.assertEqual(
            partner.activity_ids.filtered(lambda a: a.summary == "Prepare the strategic study report").user_id,
            self.strategist,
        )
        self.assertEqual(len(partner.activity_ids.filtered(lambda a: a.summary.startswith("Prepare"))), 3)
        # the price was accepted: 10 h x 120.00 (no margin under Partner)
        Pricing = self.env["coop.service.pricing"]
        self.assertEqual(Pricing._price_strategist_hours(partner, third.billable_hours, third.date), 1200.00)
        # a plan without study reports on request refuses them
        with self.assertRaisesRegex(UserError, "does not offer"):
            Item._coop_book(self.member, "study_report", datetime(2027, 2, 4, 9, 0), 2.0, "Market")

    def test_french_tour_book_a_meeting(self):
        self._tour_as("paul.strat@example.com", "/my/plan", "coop_strategy_booking_tour")
        self.assertRecordValues(self._items(self.client), [{"hours": 1.5, "description": "Préparer 2027"}])

    def test_strategic_diagnosis_once_a_year_per_director(self):
        """SPEC 3.1: a 2-hour diagnosis with 2 experts at an almost-free fixed price (the
        offer's, EUR 95.00 by default), at most one per company director per year."""
        director = self.agent.partner_id
        Offer = self.env["coop.offer"]
        self.authenticate("paul.strat@example.com", "paul-strat-pass")
        page = self.url_open("/my/plan").text
        self.assertIn(f'<option value="{director.id}">Paul Projets</option>', page)
        # without the director, or without accepting its price: refused
        self.assertIn("Choose the director", self._book(self.client, kind="diagnosis", date="2027-02-02").text)
        refused = self._book(self.client, kind="diagnosis", date="2027-02-02", director_id=director.id)
        self.assertIn("95.00", refused.text)
        self.assertFalse(Offer.search([("partner_id", "=", self.client.partner_id.id)]))
        self._book(self.client, kind="diagnosis", date="2027-02-02", director_id=director.id, price_accepted="1")
        offer = Offer.search([("partner_id", "=", self.client.partner_id.id)])
        self.assertRecordValues(
            offer, [{"kind": "diagnosis", "director_id": director.id, "amount": 95.00, "state": "draft"}]
        )
        self.assertEqual(offer.event_id.stop - offer.event_id.start, timedelta(hours=2))
        self.assertEqual(offer.event_id.partner_ids, director | self.strategist.partner_id)
        # a second one for the same director in 2027 is refused; in 2028 it is offered again
        again = self._book(
            self.client, kind="diagnosis", date="2027-09-02", director_id=director.id, price_accepted="1"
        )
        self.assertIn("one per company director per year", again.text)
        self._book(self.client, kind="diagnosis", date="2028-01-04", director_id=director.id, price_accepted="1")
        self.assertEqual(len(Offer.search([("partner_id", "=", self.client.partner_id.id)])), 2)

    def test_french_tour_book_a_diagnosis(self):
        self._tour_as("paul.strat@example.com", "/my/plan", "coop_diagnosis_booking_tour")
        self.assertRecordValues(
            self.env["coop.offer"].search([("partner_id", "=", self.client.partner_id.id)]),
            [{"kind": "diagnosis", "director_id": self.agent.partner_id.id, "note": "Diagnostic 2027"}],
        )

    def test_french_tour_order_a_free_study_report(self):
        partner = self._make_billing_member("Partenaire Visite SRL", self.partner_2023)
        self._make_agent(
            partner,
            "Pierre Partenaire",
            "pierre.partner@example.com",
            finance=False,
            projects=True,
            password="pierre-partner-pass",
        )
        self._tour_as("pierre.partner@example.com", "/my/plan", "coop_study_report_tour")
        self.assertRecordValues(
            self._items(partner), [{"kind": "study_report", "is_included": True, "billable_hours": 0.0}]
        )
