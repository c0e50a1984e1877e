from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.coop_24pm_membership.controllers.portal import CoopMembershipPortal
from odoo.addons.coop_24pm_membership.controllers.portal_input import LONG_TEXT_MAX


class CoopPlanPortal(CoopMembershipPortal):
    """/my/plan: the member's plan, commitment, next contribution, meeting quota, upgrade
    advice, and the request and confirmation of a plan change (SPEC 3.2)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "coop_plan_count" in counters:
            Membership = request.env["coop.membership"]
            values["coop_plan_count"] = (
                Membership.search_count([("plan_id", "!=", False)]) if Membership.has_access("read") else 0
            )
        return values

    def _coop_current_membership(self):
        memberships = request.env["coop.membership"].search(
            [("plan_id", "!=", False)], order="date_application desc, id desc"
        )
        return memberships.filtered(lambda m: m.state != "terminated")[:1] or memberships[:1]

    def _coop_offered_plans(self, membership_sudo):
        """The plans the change form offers: the regulation's others than the current one."""
        current = membership_sudo._get_plan_on()
        return (
            request.env["coop.plan"]
            .sudo()
            .search([("regulation_id", "=", membership_sudo.regulation_id.id), ("id", "!=", current.id)])
        )

    @http.route("/my/plan", type="http", auth="user", website=True)
    def portal_my_plan(self, message=None, error=None, **kw):
        membership = self._coop_current_membership()
        if not membership:
            return request.redirect("/my")
        try:
            membership_sudo = self._document_check_access("coop.membership", membership.id)
        except (AccessError, MissingError):
            return request.not_found()
        _partner, rights = self._coop_agent()
        plan = membership_sudo._get_plan_on()
        values = {
            "page_name": "coop_plan",
            "membership": membership_sudo,
            "plan": plan,
            "rights": rights,
            "quota": request.env["coop.strategy.item"].sudo()._get_meeting_quota_status(membership_sudo),
            "advice": request.env["coop.plan"].sudo()._coop_get_upgrade_advice(membership_sudo),
            "changes": request.env["coop.plan.change"]
            .sudo()
            .search([("membership_id", "=", membership_sudo.id), ("state", "in", ("requested", "confirmed"))]),
            "plans": self._coop_offered_plans(membership_sudo),
            **self._coop_booking_values(membership_sudo, plan, rights),
            **self._coop_pop_notice(),
        }
        return request.render("coop_24pm_plans.portal_my_plan", values)

    def _coop_booking_values(self, membership_sudo, plan, rights):
        """The strategic follow-up the member may book (SPEC 3.1): the kinds, the price of a
        strategist hour beyond the plan, the free study reports left, what is booked."""
        Item = request.env["coop.strategy.item"].sudo()
        Pricing = request.env["coop.service.pricing"].sudo()
        today = fields.Date.context_today(request.env.user)
        items = Item._coop_items_of(membership_sudo)
        year_reports = items.filtered(lambda i: i.kind == "study_report" and i.date.year == today.year)
        kinds = Item._coop_bookable_kinds(plan) if rights["projects"] else []
        return {
            "booking_kinds": [(kind, self._coop_booking_label(kind)) for kind in kinds],
            "strategist_hour_price": Pricing._price_strategist_hours(membership_sudo, 1.0, today),
            "free_reports_left": max(plan.free_study_reports - len(year_reports), 0),
            "booked": items.filtered(lambda i: i.event_id and i.date >= today).sorted("date"),
            "booking_default_date": today + relativedelta(days=7),
            "booking_directors": self._coop_company_people(membership_sudo),
        }

    def _coop_booking_label(self, kind):
        model = "coop.offer" if kind == "diagnosis" else "coop.strategy.item"
        return dict(request.env[model]._fields["kind"]._description_selection(request.env))[kind]

    def _coop_company_people(self, membership_sudo):
        """The people of the member company, among whom the director of a diagnosis."""
        return membership_sudo.partner_id.commercial_partner_id.child_ids.filtered(
            lambda p: not p.is_company and p.type in ("contact", "invoice")
        )

    @http.route("/my/plan/<int:membership_id>/book", type="http", auth="user", methods=["POST"], website=True)
    def portal_book_strategy(
        self, membership_id, kind=None, date=None, time=None, hours=None, topic=None, director_id=None, **kw
    ):
        """Book a strategic meeting or study report (SPEC 3.1): the projects right."""
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        if not self._coop_agent()[1]["projects"]:
            raise Forbidden()

        def book():
            parse = self._coop_input()
            plan = membership_sudo._get_plan_on()
            Item = request.env["coop.strategy.item"]
            chosen = str(kind or "")
            if chosen not in Item._coop_bookable_kinds(plan):
                raise UserError(request.env._("Choose what to book among what your plan offers."))
            day = parse.date(date, request.env._("the date"), required=True)
            at = parse.time(time, request.env._("the time"))
            local = pytz.timezone(request.env.user.tz or "Europe/Brussels").localize(datetime.combine(day, at))
            Item._coop_book(
                membership_sudo,
                chosen,
                local.astimezone(pytz.utc).replace(tzinfo=None),
                parse.hours(hours, request.env._("the duration"), maximum=8),
                parse.text(topic, request.env._("the topic"), LONG_TEXT_MAX),
                price_accepted=bool(kw.get("price_accepted")),
                director=parse.choice(
                    director_id,
                    self._coop_company_people(membership_sudo),
                    request.env._("Choose the director of your company the diagnosis is for."),
                )
                if chosen == "diagnosis"
                else None,
            )

        return self._coop_run_action("/my/plan", book, message="booked")

    @http.route("/my/plan/<int:membership_id>/request", type="http", auth="user", methods=["POST"], website=True)
    def portal_request_plan_change(self, membership_id, new_plan_id=None, **kw):
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()

        def request_change():
            request.env["coop.plan.change"]._coop_check_member_right(request.env.user)
            membership_sudo._coop_check_portal_action("request")
            plan = self._coop_input().choice(
                new_plan_id,
                self._coop_offered_plans(membership_sudo),
                request.env._("Choose one of the plans offered by your regulation."),
            )
            change = (
                request.env["coop.plan.change"]
                .sudo()
                .create(
                    {
                        "membership_id": membership_sudo.id,
                        "new_plan_id": plan.id,
                        "origin": "member",
                        "requested_by_id": request.env.user.id,
                    }
                )
            )
            change.action_send_confirmation()

        return self._coop_run_action("/my/plan", request_change, message="requested")

    @http.route("/my/plan/change/<int:change_id>", type="http", auth="public", website=True)
    def portal_plan_change(self, change_id, access_token=None, **kw):
        """The page the confirmation e-mail links to."""
        try:
            change_sudo = self._document_check_access("coop.plan.change", change_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        return request.render(
            "coop_24pm_plans.portal_plan_change",
            {
                "change": change_sudo,
                "access_token": access_token,
                "page_name": "coop_plan",
                **self._coop_pop_notice(),
            },
        )

    @http.route("/my/plan/change/<int:change_id>/confirm", type="http", auth="public", methods=["POST"], website=True)
    def portal_confirm_plan_change(self, change_id, access_token=None, **kw):
        try:
            change_sudo = self._document_check_access("coop.plan.change", change_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        target = (
            "/my/plan"
            if not request.env.user._is_public()
            else f"/my/plan/change/{change_id}?access_token={access_token}"
        )

        def confirm():
            change_sudo.action_member_confirm(None if access_token else request.env.user)

        return self._coop_run_action(target, confirm, message="confirmed")
