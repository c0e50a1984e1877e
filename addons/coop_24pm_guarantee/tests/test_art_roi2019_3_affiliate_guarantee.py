"""ROI 2019 art. 3: the transfer contract of an affiliate keeps the guarantee it holds: no
new guarantee is called, nothing is invoiced, the deposits account is unchanged to the
cent. ROI 2019 sets the guarantee as 2021 (SPEC 1): under 2021 it stays required at the
agreed amount; under 2023 the amount held stays as agreed (refunded 3 months after the
exit instead of 12)."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestArtRoi2019_3AffiliateGuarantee(GuaranteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.atelier = cls._make_company("Atelier Garantie SRL", vat="BE0477472701")
        with freeze_time("2020-03-02"):
            cls.affiliate = cls._make_member(
                cls.atelier, date="2020-03-02", regulation=cls.roi_2019, activate=False, guarantee_amount=2500.0
            )
        cls._receive_guarantee(cls.affiliate, 2500.0, date="2020-03-20")

    def _transfer(self, regulation, date_transfer):
        transfer = self.env["coop.membership.transfer"].create(
            {"membership_id": self.affiliate.id, "new_regulation_id": regulation.id, "date_transfer": date_transfer}
        )
        transfer.action_send()
        transfer.action_sign(date_transfer, "Luc Gérant", "Gérant", True)
        return transfer

    def _moves(self):
        return self.env["account.move"].search([("partner_id", "=", self.atelier.id)])

    def test_transfer_to_2023_keeps_the_guarantee_held(self):
        self.assertEqual(self._deposits_balance(self.atelier), 2500.0)
        moves = self._moves()
        guarantee_moves = self.affiliate.guarantee_id.move_ids
        with freeze_time("2026-03-01"):
            transfer = self._transfer(self.roi_2023, "2026-03-01")
        self.assertEqual(transfer.state, "done")
        self.assertRecordValues(
            self.affiliate.guarantee_id,
            [{"regulation_id": self.roi_2023.id, "guarantee_amount": 2500.0, "guarantee_balance": 2500.0}],
        )
        self.assertEqual(self._deposits_balance(self.atelier), 2500.0)
        self.assertEqual(self._moves(), moves)
        self.assertEqual(self.affiliate.guarantee_id.move_ids, guarantee_moves)

    def test_transfer_to_2021_keeps_the_required_guarantee(self):
        moves = self._moves()
        with freeze_time("2026-03-01"):
            self._transfer(self.roi_2021, "2026-03-01")
        self.assertRecordValues(
            self.affiliate.guarantee_id,
            [
                {
                    "regulation_id": self.roi_2021.id,
                    "guarantee_required": True,
                    "guarantee_amount": 2500.0,
                    "guarantee_balance": 2500.0,
                }
            ],
        )
        self.assertEqual(self._moves(), moves)
