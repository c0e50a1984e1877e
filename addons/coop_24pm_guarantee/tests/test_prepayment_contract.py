from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.sql import column_exists

from odoo.addons.coop_24pm_membership import migration_util

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestPrepaymentContract(GuaranteeCommon):
    """Issue 21.2: the agreed prepayments (art. 6.1) are the line of an OCA contract on
    the advances account; the members' prepayment job invoices it with ``contract``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._make_company("Hebdo SRL", vat="BE0477472701")
        cls.member = cls._make_member(
            cls.partner,
            credit_score=80.0,
            prepayment_amount=250.0,
            prepayment_frequency="weekly",
        )
        cls.account = cls.member._get_prepayment_account()
        cls.account.next_date = "2026-02-02"

    def _prepayments(self):
        return self.env["account.move"].search(
            [("coop_is_prepayment", "=", True), ("partner_id", "=", self.partner.id)], order="id"
        )

    def _run(self, day):
        with freeze_time(day):
            return self.env["coop.prepayment.account"]._cron_prepayments()

    def test_schedule_is_a_contract_line(self):
        line = self.account._get_lines()
        self.assertEqual(len(line), 1)
        self.assertEqual(line.contract_id.coop_prepayment_membership_id, self.member)
        self.assertEqual(line.contract_id.partner_id, self.partner)
        self.assertRecordValues(
            line,
            [
                {
                    "price_unit": 250.0,
                    "recurring_rule_type": "weekly",
                    "recurring_interval": 1,
                    "recurring_invoicing_type": "pre-paid",
                    "date_start": date(2026, 2, 2),
                    "recurring_next_date": date(2026, 2, 2),
                }
            ],
        )

    def test_weekly_prepayments_invoiced_by_the_contract(self):
        self.assertEqual(self._run("2026-02-01"), self.env["coop.prepayment.account"])
        self.assertFalse(self._prepayments())
        self.assertEqual(self._run("2026-02-02"), self.account)
        first = self._prepayments()
        self.assertRecordValues(
            first,
            [
                {
                    "partner_id": self.partner.id,
                    "invoice_date": date(2026, 2, 2),
                    "amount_total": 250.0,
                    "amount_tax": 0.0,
                    "state": "posted",
                }
            ],
        )
        self.assertEqual(first.invoice_line_ids.account_id.code, "460000")
        self.assertEqual(first.invoice_line_ids.name, "Prepayment for services (art. 6.1), Weekly")
        self.assertEqual(self.account.next_date, date(2026, 2, 9))
        # the same day again: nothing more
        self._run("2026-02-02")
        self.assertEqual(self._prepayments(), first)
        self._run("2026-02-09")
        second = self._prepayments() - first
        self.assertRecordValues(second, [{"invoice_date": date(2026, 2, 9), "amount_total": 250.0}])
        self.assertEqual(self.account.next_date, date(2026, 2, 16))

    def test_contract_scheduled_action_leaves_prepayments_out(self):
        with freeze_time("2026-02-02"):
            self.env["contract.contract"].cron_recurring_create_invoice()
        self.assertFalse(self._prepayments())
        self.assertEqual(self.account.next_date, date(2026, 2, 2))

    def test_agreement_changes_follow_on_the_line(self):
        self._run("2026-02-02")
        self.member.write({"prepayment_amount": 700.0, "prepayment_frequency": "quarterly"})
        line = self.account._get_lines()
        self.assertRecordValues(line, [{"price_unit": 700.0, "recurring_rule_type": "quarterly"}])
        # the next date moved by staff: nothing before it, then the new amount and frequency
        self.account.next_date = date(2026, 4, 1)
        self._run("2026-03-02")
        self.assertEqual(len(self._prepayments()), 1)
        self._run("2026-04-01")
        last = self._prepayments()[-1]
        self.assertRecordValues(last, [{"invoice_date": date(2026, 4, 1), "amount_total": 700.0}])
        self.assertEqual(self.account.next_date, date(2026, 7, 1))
        # no next date: the schedule stops
        self.account.next_date = False
        self.assertTrue(line.is_canceled)
        self._run("2026-07-01")
        self.assertEqual(len(self._prepayments()), 2)

    def test_next_date_moved_back_within_an_invoiced_period(self):
        self._run("2026-02-02")
        self.account.next_date = date(2026, 2, 5)
        self.assertEqual(self.account._get_lines().last_date_invoiced, date(2026, 2, 4))
        self._run("2026-02-05")
        self.assertEqual(len(self._prepayments()), 2)
        self.assertEqual(self.account.next_date, date(2026, 2, 12))

    def test_staff_set_the_schedule_on_the_prepayment_account(self):
        """Issue 21: the schedule and the prepaid amount are the member's prepayment account,
        opened from the membership; a coop user moves the next date there."""
        self.assertNotIn("prepayment_next_date", self.env["coop.membership"]._fields)
        action = self.member.action_view_prepayment_account()
        self.assertEqual((action["res_model"], action["res_id"]), ("coop.prepayment.account", self.member.id))
        user = new_test_user(self.env, "prepay_staff", groups="coop_24pm_membership.group_coop_user")
        account = self.account.with_user(user)
        self.assertRecordValues(
            account,
            [
                {
                    "membership_id": self.member.id,
                    "partner_id": self.partner.id,
                    "amount": 250.0,
                    "frequency": "weekly",
                    "contract_id": self._prepayments_contract().id,
                    "next_date": date(2026, 2, 2),
                    "available": 0.0,
                }
            ],
        )
        with Form(account) as form:
            form.next_date = date(2026, 2, 16)
        self.assertEqual(self.account._get_lines().recurring_next_date, date(2026, 2, 16))
        self.assertEqual(self._run("2026-02-09"), self.env["coop.prepayment.account"])
        self.assertEqual(self._run("2026-02-16"), self.account)
        # a portal user never reads it
        portal = new_test_user(self.env, "prepay_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.account.with_user(portal).read(["available"])

    def test_schedule_starts_when_staff_set_a_first_date(self):
        partner = self._make_company("Sans Date SRL", vat="BE0403170701")
        member = self._make_member(partner, credit_score=80.0, prepayment_amount=300.0, prepayment_frequency="monthly")
        account = member._get_prepayment_account()
        self.assertRecordValues(account, [{"contract_id": False, "next_date": False}])
        account.next_date = date(2026, 3, 1)
        self.assertEqual(account.contract_id.coop_prepayment_membership_id, member)
        self.assertRecordValues(account._get_lines(), [{"price_unit": 300.0, "recurring_next_date": date(2026, 3, 1)}])

    def _prepayments_contract(self):
        return self.env["contract.contract"].search([("coop_prepayment_membership_id", "=", self.member.id)])


@tagged("post_install", "-at_install")
class TestPrepaymentMigration(GuaranteeCommon):
    """The 19.0.1.2.0 migration turns a running schedule (the former stored next date)
    into a contract line that goes on invoicing without gap or double."""

    def _migration(self, name):
        return migration_util.load_script("coop_24pm_guarantee", "19.0.1.2.0", name)

    def test_running_schedule_becomes_a_contract_line(self):
        partner = self._make_company("Migrée SRL", vat="BE0403170701")
        member = self._make_member(partner, credit_score=80.0, prepayment_amount=400.0, prepayment_frequency="monthly")
        self.assertFalse(member._get_prepayment_account()._get_lines())
        # the database before the upgrade: the next date stored on the membership
        cr = self.env.cr
        cr.execute("ALTER TABLE coop_membership ADD COLUMN prepayment_next_date date")
        cr.execute("UPDATE coop_membership SET prepayment_next_date = '2026-03-01' WHERE id = %s", [member.id])
        self._migration("pre-migration").migrate(cr, "19.0.1.1.0")
        self._migration("post-migration").migrate(cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertFalse(column_exists(cr, "coop_membership", "coop_legacy_prepayment_next_date"))
        self.assertRecordValues(
            member._get_prepayment_account()._get_lines(),
            [{"price_unit": 400.0, "recurring_rule_type": "monthly", "recurring_next_date": date(2026, 3, 1)}],
        )
        with freeze_time("2026-02-28"):
            self.env["coop.prepayment.account"]._cron_prepayments()
        self.assertFalse(self.env["account.move"].search([("coop_is_prepayment", "=", True)]))
        with freeze_time("2026-03-01"):
            self.env["coop.prepayment.account"]._cron_prepayments()
        invoice = self.env["account.move"].search([("coop_is_prepayment", "=", True)])
        self.assertRecordValues(invoice, [{"invoice_date": date(2026, 3, 1), "amount_total": 400.0}])
        self.assertEqual(member._get_prepayment_account().next_date, date(2026, 4, 1))


@tagged("post_install", "-at_install")
class TestPrepaymentCronMigration(GuaranteeCommon):
    """The 19.0.1.5.0 migration points the prepayment job (``noupdate``) at the prepayment
    accounts; run twice, it changes nothing more."""

    def test_prepayment_job_moves_to_the_prepayment_accounts(self):
        partner = self._make_company("Cron SRL", vat="BE0477472701")
        member = self._make_member(partner, credit_score=80.0, prepayment_amount=450.0, prepayment_frequency="monthly")
        member._get_prepayment_account().next_date = date(2026, 3, 2)
        cron = self.env.ref("coop_24pm_guarantee.ir_cron_prepayments")
        # the job as a database holds it before the upgrade
        cron.write(
            {"model_id": self.env["ir.model"]._get("coop.membership").id, "code": "model._cron_coop_prepayments()"}
        )
        module = migration_util.load_script("coop_24pm_guarantee", "19.0.1.5.0", "post-migration")
        for _run in range(2):
            module.migrate(self.env.cr, "19.0.1.3.0")
            self.env.invalidate_all()
            self.assertRecordValues(
                cron, [{"model_name": "coop.prepayment.account", "code": "model._cron_prepayments()"}]
            )
        with freeze_time("2026-03-02"):
            cron.ir_actions_server_id.run()
        invoice = self.env["account.move"].search([("coop_is_prepayment", "=", True), ("partner_id", "=", partner.id)])
        self.assertRecordValues(invoice, [{"invoice_date": date(2026, 3, 2), "amount_total": 450.0, "state": "posted"}])
