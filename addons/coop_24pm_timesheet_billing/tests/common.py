from datetime import date
from unittest.mock import patch

from odoo.addons.coop_24pm_membership.tests.common import CoopCommon


class BillingRunMixin:
    """Billing runs processed in the test's transaction (the jobs' work, without queue_job)."""

    def _billing_run(self, today, batch_size=50):
        """The scheduled run of ``today`` (the due members), processed now: its invoices."""
        run = self.env["coop.billing.run"]._create_due_run(date=today, batch_size=batch_size)
        run.action_process_now()
        return run.line_ids.move_id

    def _invoice_members(self, memberships, today):
        """A run of ``memberships`` ("invoice now" on a selection), processed now: its invoices."""
        run = self.env["coop.billing.run"]._create_for_members(memberships, date=today)
        run.action_process_now()
        return run.line_ids.move_id


class CoopBillingCommon(BillingRunMixin, CoopCommon):
    """Group rates, collaborators and a Basique (38 %) member with a project.

    The plan margin, the paid guarantee and the credit line come from
    ``coop_24pm_plans`` / ``coop_24pm_guarantee`` through the hooks of
    ``coop.membership``. Until those addons ship them, ``_coop_use_test_hooks``
    (the only patch in these tests, on those three cross-addon hooks, never on
    the ORM) answers from the class dictionaries below; remove it once the real
    plans and guarantees can be set up in ``setUpClass``.
    """

    #: {membership id: [(date_from, margin), ...]} ; default 38 % (Basique)
    coop_margins = {}
    #: {membership id: paid guarantee}
    coop_guarantees = {}
    #: membership ids with a credit line
    coop_credit_lines = set()

    #: answer the three cross-addon hooks from the class dictionaries (False: the real
    #: plans of coop_24pm_plans and guarantees of coop_24pm_guarantee answer them)
    coop_test_hooks = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.coop_test_hooks:
            cls._coop_use_test_hooks()
        cls.coop_margins, cls.coop_guarantees, cls.coop_credit_lines = {}, {}, set()
        ref = cls.env.ref
        # the accountant of AccountTestInvoicingCommon also manages projects, people and members here
        cls.env.user.group_ids += (
            ref("project.group_project_manager")
            + ref("hr.group_hr_user")
            + ref("hr_timesheet.group_timesheet_manager")
            + ref("coop_24pm_membership.group_coop_manager")
        )
        cls.cat_junior = ref("coop_24pm_timesheet_billing.category_junior")
        cls.cat_medior = ref("coop_24pm_timesheet_billing.category_medior")
        cls.cat_senior = ref("coop_24pm_timesheet_billing.category_senior")
        cls.cat_subcontractor = ref("coop_24pm_timesheet_billing.category_subcontractor")
        cls.service = ref("coop_24pm_timesheet_billing.product_coop_service_work")
        Rate = cls.env["coop.group.rate"]
        Rate.create(
            [
                {
                    "product_id": cls.service.id,
                    "category_id": cls.cat_junior.id,
                    "rate": 45.0,
                    "date_from": "2020-01-01",
                },
                {
                    "product_id": cls.service.id,
                    "category_id": cls.cat_medior.id,
                    "rate": 60.0,
                    "date_from": "2020-01-01",
                },
                {
                    "product_id": cls.service.id,
                    "category_id": cls.cat_senior.id,
                    "rate": 80.0,
                    "date_from": "2020-01-01",
                    "date_to": "2026-05-31",
                },
                {
                    "product_id": cls.service.id,
                    "category_id": cls.cat_senior.id,
                    "rate": 85.0,
                    "date_from": "2026-06-01",
                },
            ]
        )
        Employee = cls.env["hr.employee"]
        cls.medior = Employee.create({"name": "Marie Medior", "coop_category_id": cls.cat_medior.id})
        cls.junior = Employee.create({"name": "Jules Junior", "coop_category_id": cls.cat_junior.id})
        cls.senior = Employee.create({"name": "Sophie Senior", "coop_category_id": cls.cat_senior.id})
        cls.subcontractor = Employee.create(
            {"name": "Sam Subcontractor", "coop_category_id": cls.cat_subcontractor.id, "coop_purchase_price": 50.0}
        )
        cls.member = cls._make_billing_member("Brasserie Basique", cls.roi_2021)
        cls.project = cls.member.coop_project_ids
        cls.task = cls.env["project.task"].create({"name": "Website", "project_id": cls.project.id})

    @classmethod
    def _coop_use_test_hooks(cls):
        """Answer the three cross-addon hooks from the class dictionaries (see the class doc)."""
        Membership = type(cls.env["coop.membership"])
        test_class = cls

        def margin(self, on_date=None):
            on_date = on_date or date.today()
            for date_from, value in sorted(test_class.coop_margins.get(self.id, [(date.min, 0.38)]), reverse=True):
                if date_from <= on_date:
                    return value
            return 0.0

        for name, func in (
            ("_get_plan_margin", margin),
            ("_get_guarantee_paid", lambda self: test_class.coop_guarantees.get(self.id, 0.0)),
            ("_has_credit_line", lambda self: self.id in test_class.coop_credit_lines),
        ):
            cls.startClassPatcher(patch.object(Membership, name, func))

    @classmethod
    def _make_billing_member(cls, name, regulation, guarantee=0.0, margins=None):
        partner = cls._make_company(name)
        membership = cls._make_member(partner, date="2026-01-05", regulation=regulation, activate=False)
        if guarantee:
            cls.coop_guarantees[membership.id] = guarantee
        if margins is not None:
            cls.coop_margins[membership.id] = margins
        cls.env["project.project"].create(
            {
                "name": f"{name} - work",
                "coop_membership_id": membership.id,
                "coop_product_id": cls.service.id,
                "allow_timesheets": True,
            }
        )
        return membership

    def _set_hook(self, table, membership, value):
        """Set the margins (list of (date_from, margin)), the guarantee or the credit
        line of a member for one test only."""
        store = getattr(self, table)
        if isinstance(store, set):
            self.addCleanup(store.discard, membership.id)
            store.add(membership.id)
            return
        self.addCleanup(store.pop, membership.id, None) if membership.id not in store else self.addCleanup(
            store.__setitem__, membership.id, store[membership.id]
        )
        store[membership.id] = value

    def _log(self, employee, minutes, on_date, task=None, **vals):
        task = task or self.task
        return self.env["account.analytic.line"].create(
            {
                "name": vals.pop("name", "Work"),
                "employee_id": employee.id,
                "project_id": task.project_id.id,
                "task_id": task.id,
                "unit_amount": minutes / 60.0,
                "date": on_date,
                **vals,
            }
        )
