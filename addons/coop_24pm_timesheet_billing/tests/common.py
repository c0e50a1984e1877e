from datetime import timedelta

from odoo.addons.coop_24pm_guarantee.tests.common import GuaranteeCommon
from odoo.addons.coop_24pm_plans.tests.common import CoopPlansCommon


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


class CoopBillingCommon(BillingRunMixin, CoopPlansCommon, GuaranteeCommon):
    """Group rates, collaborators and a Basique (38 %) member with a project, on the real
    addons: the plan margin is the plan of the member's contract (``coop_24pm_plans``),
    the paid guarantee a guarantee call posted and paid (``coop_24pm_guarantee``) and the
    credit line the one granted on the membership. Nothing of the suite is patched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        cls.member = cls._make_billing_member("Brasserie Basique")
        cls.project = cls.env["project.project"]._coop_projects_of(cls.member)
        cls.task = cls.env["project.task"].create({"name": "Website", "project_id": cls.project.id})

    # ------------------------------------------------------------------
    # builders on the real addons: one per concept
    # ------------------------------------------------------------------
    @classmethod
    def _make_billing_member(cls, name, plan=None, guarantee=0.0, start="2026-01-05"):
        """An active member whose contract runs ``plan`` (default Basique 2021, margin 38 %)
        from ``start``, with its work project; ``guarantee``: a paid guarantee of that amount."""
        membership = cls._make_plan_member(name, plan or cls.basic_2021, start)
        if guarantee:
            cls._give_paid_guarantee(membership, guarantee)
        cls.env["project.project"].create(
            {
                "name": f"{name} - work",
                "coop_membership_id": membership.id,
                "coop_product_id": cls.service.id,
                "allow_timesheets": True,
            }
        )
        return membership

    def _tour_as(self, login, path, tour, lang_code="fr_BE"):
        """Run the portal ``tour`` from ``path`` as the user ``login``, in ``lang_code``
        (activated, and the user's language): the member's pages in its language."""
        lang = self.env["res.lang"]._activate_lang(lang_code)
        self.env["res.users"].search([("login", "=", login)]).lang = lang_code
        self.start_tour(f"/{lang.url_code}{path}", tour, login=login)

    @classmethod
    def _make_strategist_rate(cls, rate=120.0):
        """The group rate of a strategist hour (SPEC 3.1: follow-up beyond the plan); its product."""
        product = cls.env.ref("coop_24pm_plans.product_strategist_hour")
        cls.env["coop.group.rate"].create(
            {
                "product_id": product.id,
                "category_id": cls.env.ref("coop_24pm_timesheet_billing.category_strategist").id,
                "rate": rate,
                "date_from": "2020-01-01",
            }
        )
        return product

    @classmethod
    def _make_agent(cls, membership, name, email, **rights):
        """An agent of ``membership``'s company with its portal user (art. 4.6): the rights
        and password of ``res.partner._coop_create_agent``."""
        return cls.env["res.partner"]._coop_create_agent(membership.partner_id, name, email, **rights)

    @classmethod
    def _give_paid_guarantee(cls, membership, amount, date="2026-01-10"):
        """A guarantee of ``amount`` called for and paid on ``date`` (coop_24pm_guarantee):
        the member then holds it on the deposits account."""
        return cls._receive_guarantee(membership, amount, date=date)

    @classmethod
    def _grant_credit_line(cls, membership, amount=5000.0):
        """24PM grants the member a credit line of ``amount`` (art. 6.2, 7.1): the partner's
        credit limit of OCA ``account_financial_risk`` (SPEC 7.5)."""
        membership.guarantee_id.credit_line_amount = amount

    def _change_plan(self, membership, plan, date):
        """The member changes to ``plan`` from ``date`` (a confirmed plan change of coop_24pm_plans)."""
        return self._request_change(membership, plan, date)

    def _past_service_invoice(self, membership, on_date, task=None):
        """The last service invoice of ``membership``, dated ``on_date``: an hour of the
        junior logged the day before, invoiced now ("invoice now" on the member). The due
        rule (art. 6.2) counts from its date."""
        self._log(self.junior, 60, on_date - timedelta(days=1), task=task)
        return self._invoice_members(membership, on_date)

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
