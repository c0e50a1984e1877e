from datetime import date

from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import CoopBillingCommon


class SettlementCommon(CoopBillingCommon):
    """Real plans (OCA contracts), real paid guarantees and real timesheets: a member
    whose contract ends is settled by the suite's own engines (SPEC 7.4)."""

    @classmethod
    def _make_settling_member(cls, name, plan, guarantee, start="2026-04-01"):
        """An active member on ``plan`` from ``start``: its B share and its guarantee paid,
        a project to log work on."""
        membership = cls._make_plan_member(name, plan, start)
        share = membership.share_line_ids.move_id
        cls._pay(share, share.amount_total, date=start)
        cls._receive_guarantee(membership, guarantee, date=start)
        project = cls.env["project.project"].create(
            {
                "name": f"{name} - work",
                "coop_membership_id": membership.id,
                "coop_product_id": cls.service.id,
                "allow_timesheets": True,
            }
        )
        task = cls.env["project.task"].create({"name": "Job", "project_id": project.id})
        return membership, task

    def _contributions(self, membership):
        return self.env["account.move"].search(
            [("coop_membership_id", "=", membership.id), ("coop_invoice_kind", "=", "contribution")], order="id"
        )

    def _partner_moves(self, membership):
        return self.env["account.move"].search([("commercial_partner_id", "=", membership.partner_id.id)])

    def _receivable_balance(self, partner):
        """The partner ledger of the receivable accounts, read independently (debit = positive)."""
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def _line_values(self, settlement):
        return [(line.kind, line.amount) for line in settlement.line_ids]

    def _settlement(self, membership):
        return self.env["coop.membership.settlement"].search([("membership_id", "=", membership.id)])


@tagged("post_install", "-at_install")
class TestFinalSettlement(SettlementCommon):
    def test_termination_for_fault_settles_to_the_cent(self):
        """Standard 2021 (EUR 500.00 a month, 15 %), EUR 2,000.00 of guarantee, May unpaid,
        EUR 207.00 of work not invoiced; terminated for serious fault on 15 May."""
        member, task = self._make_settling_member("Fault Settled SRL", self.standard_2021, 2000.0)
        self._run_contract_cron("2026-04-01")
        april = self._contributions(member)
        self._pay(april, april.amount_total, date="2026-04-05")
        self._run_contract_cron("2026-05-01")
        may = self._contributions(member) - april
        self.assertEqual(may.amount_total, 605.00)
        self._log(self.medior, 60, "2026-05-04", task=task)  # 1 h x EUR 60 x 1.15 = 69.00
        self._log(self.senior, 90, "2026-05-12", task=task)  # 1.5 h x EUR 80 x 1.15 = 138.00
        with freeze_time("2026-05-15"):
            member.action_terminate(
                termination_type="fault", fault_party="member", fault_description="Persistent non-payment (art. 6.4)"
            )
        settlement = self._settlement(member)
        # staff: the button of the member's form opens it
        self.assertEqual(member.action_view_coop_settlement()["res_id"], settlement.id)
        self.assertRecordValues(
            settlement,
            [
                {
                    "state": "done",
                    "date": date(2026, 5, 15),
                    "date_end": date(2026, 5, 15),
                    # service 250.47 (207.00 + VAT), May 16-31 credited (16/31 of 500.00 = 258.06 + VAT = 312.25),
                    # indemnity 1,500.00 (3 months, outside VAT)
                    "amount_invoiced": 1438.22,
                    "amount_buyback": 1.00,
                    "amount_drawn": 2000.00,
                    "amount_open": 42.22,
                    "guarantee_balance": 0.00,
                    "non_solicitation_end": date(2027, 5, 15),
                }
            ],
        )
        self.assertEqual(
            self._line_values(settlement),
            [
                ("service", 250.47),
                ("contribution", -312.25),
                ("indemnity", 1500.00),
                ("buyback", -1.00),
                ("draw", -605.00),
                ("draw", -250.47),
                ("draw", -1144.53),
            ],
        )
        service = settlement.line_ids.filtered(lambda line: line.kind == "service").move_id
        self.assertRecordValues(
            service, [{"state": "posted", "amount_untaxed": 207.00, "invoice_date": date(2026, 5, 15)}]
        )
        self.assertEqual(member._get_uninvoiced_amount(), 0.0)
        credit = settlement.line_ids.filtered(lambda line: line.kind == "contribution").move_id
        self.assertRecordValues(credit, [{"move_type": "out_refund", "state": "posted", "amount_untaxed": 258.06}])
        # the B share bought back is set off against the indemnity, with the contribution credited
        buyback = settlement.line_ids.filtered(lambda line: line.kind == "buyback").move_id
        self.assertEqual((buyback.payment_state, credit.payment_state), ("paid", "paid"))
        indemnity = settlement.line_ids.filtered(lambda line: line.kind == "indemnity").move_id
        self.assertEqual(indemnity.amount_residual, 42.22)
        self.assertEqual((may.payment_state, service.payment_state), ("paid", "paid"))
        # the partner ledger agrees: receivable and deposits accounts
        self.assertEqual(self._receivable_balance(member.partner_id), 42.22)
        self.assertEqual(self._deposits_balance(member.partner_id), 0.00)
        self.assertEqual(member.b_shares, 0)

    def test_notice_settles_and_refunds_on_request(self):
        """Basic 2023 (EUR 300.00 a month, 38 %), EUR 3,000.00 of guarantee, all paid;
        notice on 10 May ends the contract on 10 June; the job settles it the day after."""
        member, task = self._make_settling_member("Notice Settled SRL", self.basic_2023, 3000.0)
        self._make_mandate(member.partner_id)
        for day in ("2026-04-01", "2026-05-01", "2026-06-01"):
            self._run_contract_cron(day)
        for invoice in self._contributions(member):
            self._pay(invoice, invoice.amount_total, date="2026-06-05")
        with freeze_time("2026-05-10"):
            member.action_give_notice()
        self.assertEqual(member.date_end, date(2026, 6, 10))
        self._log(self.medior, 60, "2026-06-08", task=task)  # 1 h x EUR 60 x 1.38 = 82.80
        with freeze_time("2026-06-10"):
            self.env["coop.membership.termination"]._cron_terminate_after_notice()
        self.assertEqual(member.state, "notice")  # not before the end date has passed
        with freeze_time("2026-06-11"):
            self.env["coop.membership.termination"]._cron_terminate_after_notice()
        self.assertEqual(member.state, "terminated")
        settlement = self._settlement(member)
        self.assertRecordValues(
            settlement,
            [
                {
                    "state": "done",
                    "date_end": date(2026, 6, 10),
                    # service 100.19 (82.80 + VAT), June 11-30 credited (20/30 of 300.00 = 200.00 + VAT = 242.00)
                    "amount_invoiced": -141.81,
                    "amount_buyback": 1.00,
                    "amount_drawn": 100.19,
                    # 24PM owes the credited contribution and the B share: paid by transfer
                    "amount_open": -243.00,
                    "guarantee_balance": 2899.81,
                    "non_solicitation_end": date(2027, 6, 10),
                }
            ],
        )
        self.assertEqual(
            self._line_values(settlement),
            [("service", 100.19), ("contribution", -242.00), ("buyback", -1.00), ("draw", -100.19)],
        )
        owed = settlement.line_ids.filtered(lambda line: line.kind in ("contribution", "buyback")).move_id
        # both in the SEPA credit transfer order, as the guarantee refund
        self.assertEqual(sorted(owed.line_ids.payment_line_ids.mapped("amount_currency")), [1.00, 242.00])
        self.assertEqual(self._receivable_balance(member.partner_id), -243.00)
        self.assertEqual(self._deposits_balance(member.partner_id), 2899.81)
        # the refund on request: 3 months under ROI 2023, a dated activity for staff
        with freeze_time("2026-07-01"):
            member.action_request_guarantee_refund()
        self.assertEqual(member.guarantee_id.refund_id.date_deadline, date(2026, 10, 1))
        activity = member.guarantee_id.refund_id.activity_ids.filtered(lambda a: a.date_deadline == date(2026, 10, 1))
        self.assertEqual(activity.summary, "Refund the guarantee balance")
        member.guarantee_id.refund_id.action_refund()
        self.assertEqual(self._deposits_balance(member.partner_id), 0.00)

    def test_a_disputed_sum_is_neither_drawn_nor_set_off(self):
        """Art. 6.3 and 7.2: EUR 200.00 of May disputed in time stays open; the rest is drawn."""
        member, _task = self._make_settling_member("Disputed Settled SRL", self.standard_2021, 5000.0)
        self._run_contract_cron("2026-04-01")
        april = self._contributions(member)
        self._pay(april, april.amount_total, date="2026-04-05")
        self._run_contract_cron("2026-05-01")
        may = self._contributions(member) - april
        with freeze_time("2026-05-05"):
            self.env["coop.invoice.dispute"].create(
                {
                    "invoice_id": may.id,
                    "amount": 200.0,
                    "subject": "Meetings not held",
                    "date_undisputed_payment": "2026-05-11",
                }
            )
        with freeze_time("2026-05-15"):
            member.action_terminate(
                termination_type="fault", fault_party="member", fault_description="Breach of art. 9"
            )
        settlement = self._settlement(member)
        self.assertEqual(
            self._line_values(settlement),
            [
                ("contribution", -312.25),
                ("indemnity", 1500.00),
                ("buyback", -1.00),
                ("draw", -405.00),
                ("draw", -1500.00),
            ],
        )
        self.assertRecordValues(
            settlement,
            [
                {
                    "amount_invoiced": 1187.75,
                    "amount_drawn": 1905.00,
                    "amount_open": -113.25,
                    "guarantee_balance": 3095.00,
                }
            ],
        )
        self.assertEqual(may.amount_residual, 200.00)
        # no IBAN of the member: staff pay the credit notes by hand
        owed = settlement._get_open_receivable_lines("out_refund").move_id
        # the B-share buy-back (EUR 1.00) and the credit note the settlement issued (EUR 312.25)
        self.assertEqual(sorted(owed.mapped("amount_residual")), [1.00, 312.25])
        self.assertEqual(owed.activity_ids.mapped("summary"), ["Pay what 24PM owes at the end of the contract"] * 2)
        self.assertIn("pay 312.25", owed.filtered(lambda m: m.amount_residual > 1).activity_ids.note)
        self.assertEqual(self._receivable_balance(member.partner_id), -113.25)
        self.assertEqual(self._deposits_balance(member.partner_id), 3095.00)

    def _terminate_with_april_in_an_order(self, name, confirm):
        """Standard 2021, EUR 2,000.00 of guarantee, a mandate: April (EUR 605.00) in the
        direct-debit order (confirmed or draft) when the contract ends for fault on 15 April."""
        member, _task = self._make_settling_member(name, self.standard_2021, 2000.0)
        self._make_mandate(member.partner_id)
        self._run_contract_cron("2026-04-01")
        april = self._contributions(member)
        with freeze_time("2026-04-11"):
            order = self.env["account.move"]._cron_coop_direct_debit()
            if confirm:
                order.draft2open()
        self.assertRecordValues(order.payment_line_ids, [{"amount_currency": 605.00}])
        with freeze_time("2026-04-15"):
            member.action_terminate(
                termination_type="fault", fault_party="member", fault_description="Breach of art. 9"
            )
        return member, april, order

    def test_termination_takes_open_invoices_out_of_a_confirmed_order(self):
        """The replayed year: drawn from the guarantee and collected by the bank, April was paid
        twice. The end of the contract takes it out of the order not uploaded yet, says so,
        then settles it."""
        member, april, order = self._terminate_with_april_in_an_order("Confirmed Debit SRL", confirm=True)
        self.assertEqual(order.state, "open")
        self.assertFalse(order.payment_line_ids)
        self.assertFalse(order.payment_ids, "the order's payment of April went with its line")
        self.assertFalse(april.line_ids.payment_line_ids)
        said = f"{april.name} (605.00 €) was taken out of payment order {order.name}, not uploaded to the bank yet"
        self.assertIn(said, " ".join(april.message_ids.mapped("preview")))
        self.assertIn(said, " ".join(order.message_ids.mapped("preview")))
        self.assertIn(f"{april.name} (605.00 €, order {order.name})", " ".join(member.message_ids.mapped("preview")))
        settlement = self.env["coop.membership.settlement"]._coop_of(member)
        self.assertEqual(settlement.state, "done")
        # April 16-30 credited (15/30 of 500.00 = 250.00 + VAT), indemnity 1,500.00 (3 months); April and
        # the indemnity drawn from the guarantee, the credit note and the B share set off against the rest
        self.assertEqual(
            self._line_values(settlement),
            [
                ("contribution", -302.50),
                ("indemnity", 1500.00),
                ("buyback", -1.00),
                ("draw", -605.00),
                ("draw", -1395.00),
            ],
        )
        draws = settlement.line_ids.filtered(lambda line: line.kind == "draw")
        self.assertEqual(draws[0].guarantee_move_id.invoice_id, april)
        self.assertEqual(april.payment_state, "paid")
        # nothing is collected twice: 24PM owes the member what the set-off left of its credits
        self.assertEqual(settlement.amount_open, -198.50)
        self.assertEqual(self._receivable_balance(member.partner_id), -198.50)
        trust = member.env["coop.trust.account"]._coop_get_values(member)
        self.assertEqual((trust["outstanding"], trust["owed_to_member"]), (0.0, 198.50))

    def test_termination_takes_open_invoices_out_of_a_draft_order(self):
        member, april, order = self._terminate_with_april_in_an_order("Draft Debit SRL", confirm=False)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.payment_line_ids)
        self.assertEqual(april.payment_state, "paid")
        self.assertEqual(self.env["coop.membership.settlement"]._coop_of(member).state, "done")

    def test_settling_twice_settles_once(self):
        member, task = self._make_settling_member("Twice Settled SRL", self.standard_2021, 1000.0)
        self._run_contract_cron("2026-04-01")
        self._log(self.medior, 60, "2026-04-20", task=task)
        with freeze_time("2026-04-21"):
            member.action_give_notice()
        with freeze_time("2026-05-22"):
            member.action_coop_settle()  # staff: the notice has run out on 21 May
            moves = self._partner_moves(member)
            lines = self._settlement(member).line_ids
            member.action_coop_settle()
            self._settlement(member).action_settle()
            self.env["coop.membership.termination"]._cron_terminate_after_notice()
        self.assertEqual(self._partner_moves(member), moves)
        self.assertEqual(self._settlement(member).line_ids, lines)
        self.assertEqual(self.env["coop.membership.settlement"].search_count([("membership_id", "=", member.id)]), 1)
        # April 21 - May 21 under notice: May 1-21 billed pro rata (21/31 of 500.00 = 338.71 + VAT)
        self.assertEqual(
            self._line_values(self._settlement(member))[:2], [("service", 83.49), ("contribution", 409.84)]
        )

    def test_an_active_member_is_not_settled(self):
        member, _task = self._make_settling_member("Still Active SRL", self.standard_2021, 1000.0)
        moves = self._partner_moves(member)
        with self.assertRaisesRegex(UserError, "settled at the end of its contract"):
            member.action_coop_settle()
        self.assertFalse(self._settlement(member))
        with self.assertRaisesRegex(UserError, "has no final settlement yet"):
            member.action_view_coop_settlement()
        self.assertEqual(self._partner_moves(member), moves)

    def test_rejoining_creates_a_new_membership_and_b_share(self):
        member, _task = self._make_settling_member("Back Again SRL", self.standard_2021, 1000.0)
        with freeze_time("2026-05-15"):
            member.action_terminate(
                termination_type="fault", fault_party="member", fault_description="Breach of art. 8.3.3"
            )
        self.assertEqual(member.b_shares, 0)
        with freeze_time("2026-09-01"):
            rejoined = self._make_member(member.partner_id, date="2026-09-01", regulation=self.roi_2021)
        self.assertNotEqual(rejoined, member)
        self.assertEqual(rejoined.b_shares, 1)
        self.assertEqual(rejoined.share_line_ids.mapped("operation"), ["subscription"])
        self.assertEqual(self._settlement(member).state, "done")
        self.assertFalse(self._settlement(rejoined))


@tagged("post_install", "-at_install")
class TestFinalSettlementPortal(SettlementCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member, task = cls._make_settling_member("Portal Settled SRL", cls.standard_2021, 5000.0)
        cls._make_agent(cls.member, "Agent Settled", "settled.a@example.com", password="settled-a-pass")
        cls._run_contract_cron(cls, "2026-04-01")
        cls._log(cls, cls.medior, 60, "2026-04-20", task=task)
        with freeze_time("2026-04-21"):
            cls.member.action_terminate(
                termination_type="fault", fault_party="member", fault_description="Persistent non-payment"
            )

    def _amount(self, response, css_class):
        from lxml import html  # noqa: PLC0415

        tree = html.fromstring(response.text)
        return float(tree.xpath(f"//td[contains(@class, '{css_class}')]/@data-amount")[0])

    def test_member_sees_the_settlement_and_requests_the_refund(self):
        settlement = self._settlement(self.member)
        self.authenticate("settled.a@example.com", "settled-a-pass")
        page = self.url_open(f"/my/membership/{self.member.id}/trust")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(self._amount(page, "o_coop_settlement_invoiced"), settlement.amount_invoiced)
        self.assertEqual(self._amount(page, "o_coop_settlement_drawn"), settlement.amount_drawn)
        self.assertEqual(self._amount(page, "o_coop_settlement_guarantee"), settlement.guarantee_balance)
        # 5,000.00 less the April contribution 605.00, the service 83.49 and the indemnity 1,500.00
        self.assertEqual(settlement.guarantee_balance, 2811.51)
        self.assertIn(f'action="/my/membership/{self.member.id}/guarantee_refund"', page.text)
        membership_page = self.url_open(f"/my/membership/{self.member.id}")
        self.assertEqual(membership_page.status_code, 200)
        self.assertIn("o_coop_membership_settlement", membership_page.text)
        response = self.url_open(
            f"/my/membership/{self.member.id}/guarantee_refund", data={"csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 200)
        self.member.invalidate_recordset()
        today = fields.Date.context_today(self.member)
        self.assertEqual(self.member.guarantee_id.refund_id.state, "requested")
        refund = self.member.guarantee_id.refund_id
        self.assertEqual(refund.date_requested, today)
        self.assertEqual(refund.date_deadline, fields.Date.add(today, months=12))
        self.assertTrue(refund.activity_ids.filtered(lambda a: a.date_deadline == refund.date_deadline))
