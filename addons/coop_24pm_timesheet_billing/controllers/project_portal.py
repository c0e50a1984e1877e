from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.hr_timesheet.controllers.portal import TimesheetCustomerPortal, TimesheetProjectCustomerPortal


def coop_projects_denied():
    """SPEC 2.4: a logged-in agent of a member without the projects right."""
    user = request.env.user
    return not user._is_public() and not user.partner_id.coop_has_projects_right


class CoopProjectPortal(TimesheetProjectCustomerPortal):
    """Odoo's project portal pages need the projects right (403 without it); the record
    rules narrow what they list to the projects of the agent's mandate."""

    @http.route()
    def portal_my_projects(self, *args, **kw):
        if coop_projects_denied():
            raise Forbidden()
        return super().portal_my_projects(*args, **kw)

    @http.route()
    def portal_my_project(self, *args, **kw):
        if coop_projects_denied():
            raise Forbidden()
        return super().portal_my_project(*args, **kw)

    @http.route()
    def portal_my_project_task(self, *args, **kw):
        if coop_projects_denied():
            raise Forbidden()
        return super().portal_my_project_task(*args, **kw)

    @http.route()
    def portal_my_tasks(self, *args, **kw):
        if coop_projects_denied():
            raise Forbidden()
        return super().portal_my_tasks(*args, **kw)

    @http.route()
    def portal_my_task(self, *args, **kw):
        if coop_projects_denied():
            raise Forbidden()
        return super().portal_my_task(*args, **kw)


class CoopTimesheetPortal(TimesheetCustomerPortal):
    @http.route()
    def portal_my_timesheets(self, *args, **kw):
        if coop_projects_denied():
            raise Forbidden()
        return super().portal_my_timesheets(*args, **kw)
