from freezegun import freeze_time

from odoo.tests import tagged

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestServiceInvoiceVat(CoopBillingCommon):
    """The service invoice carries the VAT Odoo would put on any invoice to the member: the
    company's sale tax mapped by the member's fiscal position. A company of another EU
    country with its VAT number is invoiced under the intra-Community reverse charge (no
    Belgian VAT), a Belgian member with 21 %. Found by the replayed year (issue 18)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-01-05"):
            cls.french = cls._make_member(
                cls._make_company("Lille Conseil SAS", country="fr", vat="FR40303265045"),
                date="2026-01-05",
                regulation=cls.basic_2021.regulation_id,
                plan_id=cls.basic_2021.id,
                commitment="monthly",
                date_start="2026-01-05",
            )
        cls.env["project.project"].create(
            {
                "name": "Lille - work",
                "coop_membership_id": cls.french.id,
                "coop_product_id": cls.service.id,
                "allow_timesheets": True,
            }
        )
        cls.french_task = cls.env["project.task"].create(
            {"name": "Audit", "project_id": cls.env["project.project"]._coop_projects_of(cls.french).id}
        )

    def test_french_member_reverse_charge_belgian_member_21(self):
        # 2 h of a medior at 60.00 + Basique margin 38 % = 120.00 + 45.60
        self._log(self.medior, 120, "2026-03-02", task=self.french_task)
        self._log(self.medior, 120, "2026-03-02")
        invoices = self._invoice_members(self.french | self.member, "2026-03-31")
        french = invoices.filtered(lambda m: m.coop_membership_id == self.french)
        belgian = invoices.filtered(lambda m: m.coop_membership_id == self.member)
        expected_fpos = (
            self.env["account.fiscal.position"]
            .with_company(self.env.company)
            ._get_fiscal_position(self.french.partner_id)
        )
        self.assertTrue(expected_fpos, "the Belgian chart has an intra-Community fiscal position")
        self.assertEqual(french.fiscal_position_id, expected_fpos)
        self.assertAlmostEqual(french.amount_untaxed, 165.60, places=2)
        self.assertAlmostEqual(french.amount_tax, 0.0, places=2)
        self.assertAlmostEqual(french.amount_total, 165.60, places=2)
        self.assertEqual(
            french.invoice_line_ids.filtered(lambda line: line.display_type == "product").tax_ids,
            expected_fpos.map_tax(self.env.company.account_sale_tax_id),
        )
        self.assertAlmostEqual(belgian.amount_untaxed, 165.60, places=2)
        self.assertAlmostEqual(belgian.amount_tax, 34.78, places=2)
        self.assertAlmostEqual(belgian.amount_total, 200.38, places=2)
        # the funded-work estimate of the French member's VAT is the invoice's: none
        self.assertAlmostEqual(
            self.env["coop.service.pricing"]._coop_with_service_tax(self.french, 165.60), 165.60, places=2
        )
