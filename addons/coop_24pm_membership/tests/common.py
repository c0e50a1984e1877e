from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CoopCommon(AccountTestInvoicingCommon):
    """A Belgian company (chart be_comp) with the three regulations and helpers
    to build members; tests never rely on demo data."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("be")
    @AccountTestInvoicingCommon.setup_chart_template("be_comp")
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        cls.env.user.group_ids |= cls.env.ref("coop_24pm_membership.group_coop_manager")
        cls.roi_2021 = cls.env.ref("coop_24pm_membership.regulation_roi_2021")
        cls.roi_2023 = cls.env.ref("coop_24pm_membership.regulation_roi_2023")
        cls.roi_2019 = cls.env.ref("coop_24pm_membership.regulation_roi_2019")
        cls.b_class = cls.env.ref("coop_24pm_membership.share_class_b")
        cls.capital_account = cls.env["account.account"].search(
            [*cls.env["account.account"]._check_company_domain(cls.env.company), ("code", "=", "100000")]
        )
        cls.staff = new_test_user(
            cls.env,
            "coop_staff",
            groups="coop_24pm_membership.group_coop_manager,account.group_account_invoice",
            company_id=cls.env.company.id,
        )

    def _set_legacy_columns(self, record, columns, **values):
        """The columns (name: SQL type) a database holds on ``record``'s table before a
        migration moved them, with ``values`` on ``record``: the migration tests' set-up."""
        self.env.flush_all()
        table = SQL.identifier(record._table)
        for column, sql_type in columns.items():
            self.env.cr.execute(
                SQL("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s", table, SQL.identifier(column), SQL(sql_type))
            )
        for column, value in values.items():
            self.env.cr.execute(
                SQL("UPDATE %s SET %s = %s WHERE id = %s", table, SQL.identifier(column), value, record.id)
            )

    def _coop_smart_button_records(self, record, action_xmlid):
        """The records a smart button of ``record``'s form lists (its window action, module
        ``coop_24pm_membership``, evaluated for ``record``)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(f"coop_24pm_membership.{action_xmlid}")
        context = {"active_id": record.id, "active_ids": record.ids}
        return self.env[action["res_model"]].search(safe_eval(action["domain"], context))

    @classmethod
    def _make_company(cls, name, country="be", vat=None, **vals):
        country_rec = cls.env.ref(f"base.{country}")
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "country_id": country_rec.id,
                "vat": vat,
                "coop_not_incorporated": not vat,
                **vals,
            }
        )

    @classmethod
    def _make_agent_pair(cls, member_a, member_b, key):
        """Portal agents for isolation tests: ``cls.agent_a`` (member A, finance),
        ``cls.agent_b`` (member B, finance) and ``cls.agent_b_projects`` (member B,
        projects only). Logins ``<key>.a@example.com``, ``<key>.b@example.com`` and
        ``<key>.b2@example.com``; passwords ``<key>-a-pass``, ``<key>-b-pass``, ``<key>-b2-pass``."""
        Partner = cls.env["res.partner"]
        cls.agent_a = Partner._coop_create_agent(
            member_a.partner_id, "Agent A", f"{key}.a@example.com", password=f"{key}-a-pass"
        )
        cls.agent_b = Partner._coop_create_agent(
            member_b.partner_id, "Agent B", f"{key}.b@example.com", password=f"{key}-b-pass"
        )
        cls.agent_b_projects = Partner._coop_create_agent(
            member_b.partner_id,
            "Agent B2",
            f"{key}.b2@example.com",
            finance=False,
            projects=True,
            password=f"{key}-b2-pass",
        )

    @classmethod
    def _make_membership(cls, partner, regulation=None, **vals):
        return cls.env["coop.membership"].create(
            {
                "partner_id": partner.id,
                "regulation_id": (regulation or cls.roi_2023).id,
                "company_id": cls.env.company.id,
                **vals,
            }
        )

    @classmethod
    def _make_application(cls, partner, regulation=None, **vals):
        """An application (issue 15): the journey before the membership exists."""
        return cls.env["coop.membership.application"].create(
            {
                "partner_id": partner.id,
                "regulation_id": (regulation or cls.roi_2023).id,
                "company_id": cls.env.company.id,
                **vals,
            }
        )

    @classmethod
    def _make_member(cls, partner, date="2026-01-05", regulation=None, activate=True, **vals):
        """A membership concluded from its application: contract sent, signed, accepted
        (staff accept an application from outside BE/FR/DE/LU/NL) and entered in the
        register on ``date``. Values of the application's fields go to the application,
        the others (PM, start date...) to the membership."""
        Application = cls.env["coop.membership.application"]
        app_vals = {key: value for key, value in vals.items() if key in Application._fields}
        member_vals = {key: value for key, value in vals.items() if key not in app_vals}
        application = cls._make_application(partner, regulation, **app_vals)
        if application.acceptance == "pending":
            application.action_accept()
        application.action_send_contract()
        application.action_sign(date, "Claire Peeters", "Managing director", True)
        application.action_conclude(date)
        membership = application.membership_id
        if member_vals:
            membership.write(member_vals)
        if activate:
            membership.action_activate()
        return membership

    def _template_as_before_issue_21(self, template, path="application_id"):
        """A ``noupdate`` mail template as a database holds it before issue 21 moved the values
        it reads off the membership (``object.x`` instead of ``object.<path>.x``), in every language."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = replace(body_html::text, %s, 'object.')::jsonb WHERE id = %s",
            [f"object.{path}.", template.id],
        )
        self.env.invalidate_all()
        self.assertNotIn(path, template.body_html)

    def _balance_sheet_rubric(self, rubric, on_date):
        """The total of ``rubric`` (``rub_100``...) on OCA's Belgian balance sheet
        (l10n_be_mis_reports, m02) of the year of ``on_date``, as of that date."""
        instance = self.env["mis.report.instance"].create(
            {
                "name": f"Balance sheet {rubric}",
                "report_id": self.env.ref("l10n_be_mis_reports.new_mis_report_bs_m02_f").id,
                "company_id": self.env.company.id,
                "target_move": "posted",
                "period_ids": [(0, 0, {"name": "Year", "mode": "relative", "type": "y", "offset": 0, "duration": 1})],
            }
        )
        with freeze_time(on_date):
            matrix = instance._compute_matrix()
        for row in matrix.iter_rows():
            if row.kpi.name == rubric and not row.account_id:
                return next(iter(row.iter_cells())).val
        return None

    def _sign_with_form(self, application, name="Claire Peeters", capacity="Gérante"):
        """The signatory signs ``application``'s contract in its signature wizard, as staff
        record it (the wizard the application's button opens)."""
        action = application.action_open_sign_wizard()
        with Form(self.env[action["res_model"]].with_context(**action["context"])) as wizard:
            wizard.signatory_name = name
            wizard.signatory_capacity = capacity
            wizard.has_power = True
        wizard.record.action_confirm()

    def _make_portal_user(self, contact, password):
        """A portal login for ``contact`` (its e-mail as login)."""
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": contact.email,
                    "password": password,
                    "partner_id": contact.id,
                    "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )

    def _capital_balance(self):
        """Balance of the capital account in the company (credit = positive)."""
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.capital_account.id), ("parent_state", "=", "posted")]
        )
        return -sum(lines.mapped("balance"))
