from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.coop_24pm_membership.controllers.portal import CoopMembershipPortal
from odoo.addons.coop_24pm_membership.controllers.portal_input import LONG_TEXT_MAX, SHORT_TEXT_MAX
from odoo.addons.portal.controllers.portal import pager as portal_pager

#: the work lines of one page of the portal's pager
WORK_LINES_PER_PAGE = 50
#: the largest budget of a recurring task the portal accepts: a full-time person's month
BUDGET_HOURS_MAX = 200


class CoopBillingPortal(CoopMembershipPortal):
    """SPEC 4.7 / 5: the member's projects, tasks, collaborators, work and upcoming invoice."""

    _COOP_DISPUTE_MODELS = (*CoopMembershipPortal._COOP_DISPUTE_MODELS, "coop.rate.objection")

    def _coop_work_periods(self, today):
        """The periods the work list is filtered by (the searchbar's ``filterby``):
        label and the first and last day (``None`` = open)."""
        env = request.env
        month = today.replace(day=1)
        year = today.replace(month=1, day=1)
        return {
            "all": {"label": env._("All periods"), "range": (None, None)},
            "this_month": {"label": env._("This month"), "range": (month, None)},
            "last_month": {"label": env._("Last month"), "range": (month - relativedelta(months=1), month)},
            "this_year": {"label": env._("This year"), "range": (year, None)},
            "last_year": {"label": env._("Last year"), "range": (year - relativedelta(years=1), year)},
        }

    def _coop_work_lines_page(self, membership_sudo, projects, page=1, filterby=None, project=None):
        """One page of the work done (Odoo's portal pager), filtered by project and period:
        a count and one page of lines, whatever the length of the history."""
        env = request.env
        Line = env["account.analytic.line"].sudo()
        today = fields.Date.context_today(Line)
        periods = self._coop_work_periods(today)
        filterby = filterby if filterby in periods else "all"
        # a project among those the page offers, anything else is "all the projects"
        project_id = int(project) if str(project or "").isdigit() and len(str(project)) < 12 else 0
        work_project = projects.filtered(lambda p: p.id == project_id) if project_id else projects.browse()
        chosen = work_project or projects
        domain = Domain("coop_membership_id", "=", membership_sudo.id) & Domain("project_id", "in", chosen.ids)
        date_from, date_to = periods[filterby]["range"]
        if date_from:
            domain &= Domain("date", ">=", date_from)
        if date_to:
            domain &= Domain("date", "<", date_to)
        url = f"/my/membership/{membership_sudo.id}/work"
        url_args = {"filterby": filterby}
        if work_project:
            url_args["project"] = work_project.id
        pager = portal_pager(
            url=url,
            url_args=url_args,
            total=Line.search_count(domain),
            page=page,
            step=WORK_LINES_PER_PAGE,
        )
        return {
            "work_lines": Line.search(
                domain, limit=WORK_LINES_PER_PAGE, offset=pager["offset"], order="date desc, id desc"
            ),
            "pager": pager,
            "default_url": url,
            "searchbar_filters": periods,
            "filterby": filterby,
            "work_project": work_project,
            "work_url_args": url_args,
        }

    def _coop_work_values(self, membership_sudo, page=1, filterby=None, project=None, **kwargs):
        """Everything the page shows, in a fixed number of queries (aggregates, limits)."""
        env = request.env
        Line = env["account.analytic.line"].sudo()
        Pricing = membership_sudo.env["coop.service.pricing"]
        projects = env.user.partner_id._coop_allowed_projects(
            env["project.project"].sudo().search([("coop_membership_id", "=", membership_sudo.id)])
        )
        lines_page = self._coop_work_lines_page(membership_sudo, projects, page, filterby, project)
        tasks = (
            env["project.task"]
            .sudo()
            .search(
                [("project_id", "in", (lines_page["work_project"] or projects).ids)],
                order="create_date desc, id desc",
            )
        )
        per_task = {
            task.id: (hours, amount, beyond)
            for task, hours, amount, beyond in Line._read_group(
                [("task_id", "in", tasks.ids)],
                ["task_id"],
                ["coop_billable_hours:sum", "coop_amount:sum", "coop_beyond_budget_hours:sum"],
            )
        }
        today = fields.Date.context_today(Line)
        margin = membership_sudo._get_plan_margin(today) or 0.0
        employees = [
            emp
            for (emp,) in Line._read_group(
                [
                    ("coop_membership_id", "=", membership_sudo.id),
                    ("date", ">=", today - relativedelta(months=12)),
                ],
                ["employee_id"],
            )
        ]
        collaborators = []
        for employee in employees:
            category = employee.coop_category_id
            # art. 4.7: the rate billed to the member, priced as its timesheet lines are
            rate = next(
                (
                    r
                    for r in (
                        Pricing._get_hourly_rate_billed(membership_sudo, employee, product, today)
                        for product in projects.coop_product_id
                    )
                    if r is not None
                ),
                None,
            )
            collaborators.append(
                {
                    "name": (employee.name or "").split(" ")[0],  # partial profile (SPEC 6)
                    "category": category.name,
                    "status": env._("External") if category.is_external else env._("24PM team"),
                    "rate": rate,
                }
            )
        values = {
            "page_name": "coop_work",
            "membership": membership_sudo,
            "projects": projects,
            "tasks": tasks,
            "per_task": per_task,
            "collaborators": collaborators,
            "upcoming": Pricing._get_uninvoiced_amount(membership_sudo),
            "margin": margin,
            "currency": membership_sudo.currency_id,
            **lines_page,
        }
        values.update(kwargs)
        return values

    def _coop_mandate_from_form(self, membership_sudo, form):
        """Art. 4.6: the projects of the mandate, among the member's projects (none = all)."""
        mandate = super()._coop_mandate_from_form(membership_sudo, form)
        offered = request.env["project.project"].sudo()._coop_projects_of(membership_sudo)
        chosen = offered.browse()
        for value in request.httprequest.form.getlist("project_ids"):
            chosen |= self._coop_input().choice(
                value, offered, request.env._("Choose the projects of the mandate among your company's projects.")
            )
        mandate["project_ids"] = chosen
        return mandate

    def _prepare_home_portal_values(self, counters):
        """Card of /my (issue 22): the member's work (its tasks)."""
        values = super()._prepare_home_portal_values(counters)
        if "coop_work_count" in counters:
            membership = self._coop_home_membership()
            _partner, rights = self._coop_agent()
            values["coop_work_count"] = (
                request.env["project.task"]
                .sudo()
                .search_count(
                    [
                        ("coop_membership_id", "=", membership.id),
                        (
                            "project_id",
                            "in",
                            request.env.user.partner_id._coop_allowed_projects(
                                request.env["project.project"].sudo()._coop_projects_of(membership)
                            ).ids,
                        ),
                    ]
                )
                if membership and rights["projects"]
                else 0
            )
        return values

    @http.route("/my/work", type="http", auth="user", website=True)
    def portal_my_work_current(self, **kw):
        membership = self._coop_home_membership()
        if not membership:
            return request.redirect("/my")
        return request.redirect(f"/my/membership/{membership.id}/work")

    def _coop_work_membership(self, membership_id):
        membership_sudo = self._document_check_access("coop.membership", membership_id)
        partner, rights = self._coop_agent()
        return membership_sudo, rights

    @http.route(
        ["/my/membership/<int:membership_id>/work", "/my/membership/<int:membership_id>/work/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_work(self, membership_id, page=1, filterby=None, project=None, message=None, error=None, **kw):
        try:
            membership_sudo, rights = self._coop_work_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        if not rights["projects"]:
            raise Forbidden()
        values = self._coop_work_values(
            membership_sudo, page=page, filterby=filterby, project=project, rights=rights, **self._coop_pop_notice()
        )
        return request.render("coop_24pm_timesheet_billing.portal_my_work", values)

    def _coop_membership_values(self, membership, **kwargs):
        values = super()._coop_membership_values(membership, **kwargs)
        values["rate_changes"] = (
            self._coop_open_rate_changes(membership)
            if values["rights"]["projects"]
            else request.env["coop.rate.change.member"]
        )
        values["coop_settlement"] = request.env["coop.membership.settlement"]._coop_of(membership)
        return values

    def _coop_open_rate_changes(self, membership):
        """The rate changes this member may still object to (art. 5.3: until 15 days after
        its notice was delivered), and those it objected to while the objection stands."""
        today = fields.Date.context_today(request.env.user)
        lines = (
            request.env["coop.rate.change.member"]
            .sudo()
            .search([("membership_id", "=", membership.id), ("change_id.state", "=", "notified")])
        )
        standing = (
            request.env["coop.rate.objection"]
            .sudo()
            .search([("membership_id", "=", membership.id), ("change_id", "in", lines.change_id.ids)])
            .change_id
        )
        return lines.filtered(
            lambda line: (
                line.change_id in standing
                or (not line.objected and (not line.date_effective or line.date_effective > today))
            )
        )

    @http.route(
        "/my/membership/<int:membership_id>/rate-objection/<int:line_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_object_rate(self, membership_id, line_id, reason=None, **kw):
        """Art. 5.3: the agent with the projects right objects to a new group rate."""
        if not request.env.user.partner_id.coop_has_projects_right:
            raise Forbidden()

        def object_to(membership_sudo):
            line = (
                request.env["coop.rate.change.member"]
                .sudo()
                .search([("id", "=", line_id), ("membership_id", "=", membership_sudo.id)])
            )
            if not line:
                raise UserError(request.env._("This rate change does not concern your membership."))
            line.change_id.action_object(
                membership_sudo,
                reason=self._coop_input().text(reason, request.env._("the reason"), LONG_TEXT_MAX, required=False),
            )

        return self._coop_portal_action(membership_id, object_to, action="dispute")

    def _coop_member_task(self, membership_sudo, task_id):
        """The member's own task, or a refusal: an agent never reaches another member's task."""
        task = (
            request.env["project.task"]
            .sudo()
            .search([("id", "=", task_id), ("coop_membership_id", "=", membership_sudo.id)])
        )
        if not task or not request.env.user.partner_id._coop_allowed_projects(task.project_id):
            raise UserError(request.env._("This task does not belong to your projects."))
        return task

    def _coop_work_action(self, membership_id, callback):
        """A member's action on its work: the projects right, and a state that allows
        requests (SPEC 7.4: not while suspended or terminated)."""
        try:
            membership_sudo, rights = self._coop_work_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        if not rights["projects"]:
            raise Forbidden()
        return self._coop_run_action(
            f"/my/membership/{membership_id}/work", self._coop_state_guard(callback, "request"), membership_sudo
        )

    @http.route(
        "/my/membership/<int:membership_id>/work-request", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_request_work(self, membership_id, name=None, description=None, tariff_accepted=None, **kw):
        def create(membership_sudo):
            parse = self._coop_input()
            request.env["project.task"]._coop_create_request(
                membership_sudo,
                parse.text(name, request.env._("the title of the request"), SHORT_TEXT_MAX),
                description=parse.text(description, request.env._("the description"), LONG_TEXT_MAX, required=False),
                origin="portal",
                tariff_accepted=bool(tariff_accepted),
                rso_accepted=bool(kw.get("rso_accepted")),
                project=request.env.user.partner_id._coop_allowed_projects(
                    request.env["project.project"].sudo()._coop_projects_of(membership_sudo)
                )[:1],
            )

        return self._coop_work_action(membership_id, create)

    @http.route(
        "/my/membership/<int:membership_id>/work-budget/<int:task_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_set_budget(self, membership_id, task_id, hours=None, **kw):
        def set_budget(membership_sudo):
            task = self._coop_member_task(membership_sudo, task_id)
            task.action_coop_set_budget(
                self._coop_input().hours(hours, request.env._("the budget"), maximum=BUDGET_HOURS_MAX, minimum=0)
            )

        return self._coop_work_action(membership_id, set_budget)

    @http.route(
        "/my/membership/<int:membership_id>/work-rso/<int:task_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_accept_rso(self, membership_id, task_id, **kw):
        def accept(membership_sudo):
            task = self._coop_member_task(membership_sudo, task_id)
            task.action_coop_accept_rso()

        return self._coop_work_action(membership_id, accept)
