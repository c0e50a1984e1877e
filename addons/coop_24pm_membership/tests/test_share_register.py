from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestShareRegister(CoopCommon):
    def test_registration_subscribes_one_b_share_posted_to_capital(self):
        before = self._capital_balance()
        membership = self._make_member(self._make_company("Capital SRL", vat="BE0477472701"))
        line = membership.share_line_ids
        self.assertRecordValues(
            line,
            [
                {
                    "operation": "subscription",
                    "quantity": 1,
                    "quantity_signed": 1,
                    "nominal_value": 1.0,
                    "amount": 1.0,
                    "share_class_id": self.b_class.id,
                }
            ],
        )
        self.assertEqual(line.move_id.state, "posted")
        self.assertEqual(line.move_id.move_type, "out_invoice")
        capital_line = line.move_id.line_ids.filtered(lambda aml: aml.account_id == self.capital_account)
        self.assertAlmostEqual(capital_line.credit, 1.0, places=2)
        receivable = line.move_id.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.partner_id, membership.partner_id)
        self.assertAlmostEqual(self._capital_balance() - before, 1.0, places=2)
        self.assertEqual(membership.b_shares, 1)

    def test_termination_buys_back_at_one_euro(self):
        membership = self._make_member(self._make_company("Sortie SRL", vat="BE0477472701"))
        before = self._capital_balance()
        membership.action_give_notice("2026-03-01")
        membership.action_terminate("2026-04-01")
        buyback = membership.share_line_ids.filtered(lambda line: line.operation == "buyback")
        self.assertRecordValues(buyback, [{"quantity": 1, "quantity_signed": -1, "amount": 1.0}])
        self.assertEqual(buyback.move_id.move_type, "out_refund")
        self.assertEqual(buyback.move_id.state, "posted")
        self.assertAlmostEqual(before - self._capital_balance(), 1.0, places=2)
        self.assertEqual(membership.b_shares, 0)
        # the unpaid subscription invoice and the buy-back credit note cancel out
        self.assertTrue(
            all(
                aml.reconciled
                for aml in membership.share_line_ids.move_id.line_ids
                if aml.account_id.account_type == "asset_receivable"
            )
        )

    def test_three_members_then_one_leaves_capital(self):
        before = self._capital_balance()
        members = [
            self._make_member(self._make_company(f"Trio {i} SRL", vat=vat))
            for i, vat in enumerate(("BE0477472701", "BE0403170701", "NL000099998B57"))
        ]
        self.assertAlmostEqual(self._capital_balance() - before, 3.0, places=2)
        members[0].action_terminate("2026-06-01")
        self.assertAlmostEqual(self._capital_balance() - before, 2.0, places=2)

    def test_holders_at_date(self):
        m1 = self._make_member(self._make_company("Tôt SRL", vat="BE0477472701"), date="2026-01-10")
        m2 = self._make_member(self._make_company("Tard SRL", vat="BE0403170701"), date="2026-03-10")
        m1.action_terminate("2026-04-01")
        wizard = self.env["coop.share.holders.wizard"].create(
            {"date": "2026-03-15", "share_class_ids": [self.b_class.id]}
        )
        wizard.action_compute()
        holders = {line.partner_id: line.quantity for line in wizard.line_ids}
        self.assertEqual(holders.get(m1.partner_id), 1)
        self.assertEqual(holders.get(m2.partner_id), 1)
        wizard.date = "2026-04-02"
        wizard.action_compute()
        self.assertEqual(wizard.line_ids.partner_id & (m1.partner_id | m2.partner_id), m2.partner_id)

    def test_cannot_sell_more_than_held(self):
        partner = self._make_company("Vide SRL", vat="BE0477472701")
        with self.assertRaisesRegex(ValidationError, "does not hold enough"):
            self.env["coop.share.line"].create(
                {"partner_id": partner.id, "share_class_id": self.b_class.id, "operation": "buyback", "quantity": 1}
            )

    def test_posted_entry_cannot_change(self):
        membership = self._make_member(self._make_company("Fixe SRL", vat="BE0477472701"))
        with self.assertRaises(UserError):
            membership.share_line_ids.quantity = 2
        with self.assertRaises(UserError):
            membership.share_line_ids.unlink()

    def test_register_pdf_renders(self):
        membership = self._make_member(self._make_company("Rapport SRL", vat="BE0477472701"))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "coop_24pm_membership.report_share_register", membership.share_line_ids.ids
        )[0]
        self.assertIn(b"Rapport SRL", html)

    def test_locked_period_dates_entry_on_first_open_day(self):
        self.env.company.sudo().fiscalyear_lock_date = "2026-01-31"
        membership = self._make_member(self._make_company("Clôture SRL", vat="BE0477472701"), date="2026-01-10")
        move = membership.share_line_ids.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(str(move.invoice_date), "2026-01-10")
        self.assertEqual(str(move.date), "2026-02-01")
        self.assertTrue(move.message_ids.filtered(lambda m: "period of 2026-01-10 is closed" in str(m.body)))

    def test_transfer_between_holders_changes_no_capital(self):
        c_class = self.env.ref("coop_24pm_membership.share_class_c")
        seller = self._make_company("Cédant SRL", vat="BE0477472701")
        buyer = self._make_company("Cessionnaire SRL", vat="BE0403170701")
        subscription = self.env["coop.share.line"].create(
            {
                "partner_id": seller.id,
                "share_class_id": c_class.id,
                "operation": "subscription",
                "quantity": 5,
                "date": "2026-02-01",
            }
        )
        subscription._post_move()
        capital = self._capital_balance()
        wizard = self.env["coop.share.transfer.wizard"].create(
            {
                "date": "2026-03-01",
                "from_partner_id": seller.id,
                "to_partner_id": buyer.id,
                "share_class_id": c_class.id,
                "quantity": 2,
            }
        )
        wizard.action_confirm()
        holdings = self.env["coop.share.line"]._get_holdings(share_class=c_class)
        self.assertEqual(holdings[(seller.id, c_class.id)], 3)
        self.assertEqual(holdings[(buyer.id, c_class.id)], 2)
        self.assertAlmostEqual(self._capital_balance(), capital, places=2)
        transfer = self.env["coop.share.line"].search([("operation", "in", ("transfer_in", "transfer_out"))])
        self.assertEqual(transfer.counterpart_line_id, transfer)
        self.assertFalse(transfer.move_id)
        with self.assertRaisesRegex(ValidationError, "does not hold enough"):
            self.env["coop.share.line"]._transfer(seller, buyer, c_class, 4, "2026-03-02")
