from freezegun import freeze_time

from odoo.addons.coop_24pm_membership.tests.common import CoopCommon


class CoopPlansCommon(CoopCommon):
    """The seven shipped plans with the fees the tests rely on (written here, since
    staff may change the shipped defaults)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.basic_2021 = ref("coop_24pm_plans.plan_basic_2021")
        cls.standard_2021 = ref("coop_24pm_plans.plan_standard_2021")
        cls.partner_2021 = ref("coop_24pm_plans.plan_partner_2021")
        cls.simple_2023 = ref("coop_24pm_plans.plan_simple_2023")
        cls.basic_2023 = ref("coop_24pm_plans.plan_basic_2023")
        cls.standard_2023 = ref("coop_24pm_plans.plan_standard_2023")
        cls.partner_2023 = ref("coop_24pm_plans.plan_partner_2023")
        cls.basic_2023.monthly_fee = 300.0
        cls.standard_2023.monthly_fee = 600.0
        cls.partner_2023.monthly_fee = 1500.0
        cls.standard_2021.monthly_fee = 500.0
        cls.partner_2021.monthly_fee = 1200.0
        cls.roi_2023.annual_fee_amount = 50.0
        cls.Contract = cls.env["contract.contract"]
        cls.vat_numbers = iter(
            [
                "BE0477472701",
                "BE0403170701",
                "BE0202239951",
                "BE0458402105",
                "BE0417497106",
                "BE0404616494",
                "BE0431852649",
                "BE0884515115",
            ]
        )

    @classmethod
    def _make_plan_member(cls, name, plan, date, commitment="monthly", **vals):
        """An active member on ``plan`` from ``date`` (its anniversary date)."""
        with freeze_time(date):
            return cls._make_member(
                cls._make_company(name),
                date=date,
                regulation=plan.regulation_id,
                plan_id=plan.id,
                commitment=commitment,
                date_start=date,
                **vals,
            )

    def _run_contract_cron(self, date):
        with freeze_time(date):
            self.Contract.cron_recurring_create_invoice()

    def _invoices(self, membership, kind=None):
        domain = [("coop_membership_id", "=", membership.id)]
        if kind:
            domain.append(("coop_invoice_kind", "=", kind))
        return self.env["account.move"].search(domain, order="id")

    def _billed(self, membership, plan, date_from, date_to):
        """Net amount billed for ``plan`` on lines of invoices dated in the range."""
        lines = self.env["account.move.line"].search(
            [
                ("move_id.coop_membership_id", "=", membership.id),
                ("move_id.state", "=", "posted"),
                ("product_id", "=", plan.product_id.id),
                ("display_type", "=", "product"),
                ("move_id.invoice_date", ">=", date_from),
                ("move_id.invoice_date", "<=", date_to),
            ]
        )
        return round(sum(-line.balance for line in lines), 2)

    def _request_change(self, membership, plan, date, confirm=True):
        with freeze_time(date):
            change = self.env["coop.plan.change"].create({"membership_id": membership.id, "new_plan_id": plan.id})
            if confirm:
                change.action_confirm()
        return change
