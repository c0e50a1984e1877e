from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopPlansCommon


@tagged("post_install", "-at_install")
class TestOffers(CoopPlansCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls._make_company("Offers SRL")
        cls.director = cls.env["res.partner"].create({"name": "Anne Director", "parent_id": cls.company_partner.id})
        cls.Offer = cls.env["coop.offer"]

    def test_success_pack_refunded_in_full(self):
        pack = self.Offer.create({"kind": "success_pack", "partner_id": self.company_partner.id, "date": "2026-02-01"})
        self.assertEqual(pack.amount, 425.0)
        pack.action_invoice()
        self.assertRecordValues(pack.invoice_id, [{"state": "posted", "amount_untaxed": 425.0}])
        pack.saving_achieved = 4999.99
        with freeze_time("2027-02-01"):
            pack.action_refund()
        self.assertEqual(pack.state, "refunded")
        # booked as a credit note 24PM pays out within 10 days (art. 6.4.2 once late)
        self.assertRecordValues(
            pack.refund_id,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_total": pack.invoice_id.amount_total,
                    "coop_pays_out": True,
                    "invoice_date_due": date(2027, 2, 11),
                }
            ],
        )

    def test_success_pack_not_refunded_when_saving_reached(self):
        pack = self.Offer.create({"kind": "success_pack", "partner_id": self.company_partner.id, "date": "2026-02-01"})
        pack.action_invoice()
        pack.saving_achieved = 5000.0
        with self.assertRaises(UserError):
            pack.action_refund()
        self.assertEqual(pack.state, "invoiced")
        self.assertFalse(pack.refund_id)

    def test_one_diagnosis_per_director_per_year(self):
        first = self.Offer.create(
            {
                "kind": "diagnosis",
                "partner_id": self.company_partner.id,
                "director_id": self.director.id,
                "date": "2026-02-01",
            }
        )
        first.action_invoice()
        self.assertEqual(first.invoice_id.amount_untaxed, 95.0)
        with self.assertRaises(ValidationError):
            self.Offer.create(
                {
                    "kind": "diagnosis",
                    "partner_id": self.company_partner.id,
                    "director_id": self.director.id,
                    "date": "2026-11-30",
                }
            )
        self.assertEqual(self.Offer.search_count([("director_id", "=", self.director.id)]), 1)
        next_year = self.Offer.create(
            {
                "kind": "diagnosis",
                "partner_id": self.company_partner.id,
                "director_id": self.director.id,
                "date": "2027-01-15",
            }
        )
        self.assertTrue(next_year)
