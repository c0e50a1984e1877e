from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class CoopMembershipPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "coop_membership_count" in counters:
            Membership = request.env["coop.membership"]
            values["coop_membership_count"] = Membership.search_count([]) if Membership.has_access("read") else 0
        return values

    def _coop_agent(self):
        """The logged-in user's contact: its rights say what it may see and do (art. 4.6)."""
        partner = request.env.user.partner_id
        is_main = partner == partner.commercial_partner_id
        return partner, {
            "finance": is_main or partner.coop_right_finance,
            "projects": is_main or partner.coop_right_projects,
            "agents": is_main or partner.coop_right_agents,
        }

    def _coop_membership_values(self, membership, **kwargs):
        partner, rights = self._coop_agent()
        values = {
            "page_name": "coop_membership",
            "membership": membership,
            "rights": rights,
            "share_lines": request.env["coop.share.line"].search([("membership_id", "=", membership.id)])
            if rights["finance"]
            else request.env["coop.share.line"],
            "regulation_changes": membership.regulation_change_ids.filtered(lambda c: c.state == "notified"),
            "pm_requests": membership.pm_change_request_ids,
            "agents": membership.partner_id.child_ids.filtered(lambda p: p.user_ids) if rights["agents"] else None,
        }
        values.update(kwargs)
        return values

    @http.route("/my/membership", type="http", auth="user", website=True)
    def portal_my_membership_current(self, **kw):
        memberships = request.env["coop.membership"].search([], order="date_application desc, id desc")
        current = memberships.filtered(lambda m: m.state != "terminated")[:1] or memberships[:1]
        if not current:
            return request.redirect("/my")
        return request.redirect(f"/my/membership/{current.id}")

    @http.route("/my/membership/<int:membership_id>", type="http", auth="user", website=True)
    def portal_my_membership(self, membership_id, access_token=None, message=None, error=None, **kw):
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        # read as the user: record rules and rights apply to what is shown
        membership = membership_sudo.with_user(request.env.user) if not access_token else membership_sudo
        values = self._coop_membership_values(membership, message=message, error=error)
        return request.render("coop_24pm_membership.portal_my_membership", values)

    @http.route("/my/membership/<int:membership_id>/contract", type="http", auth="user", website=True)
    def portal_membership_contract(self, membership_id, access_token=None, download=False, **kw):
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        return self._show_report(
            model=membership_sudo,
            report_type="pdf",
            download=download,
            report_ref="coop_24pm_membership.action_report_membership_contract",
        )

    def _coop_run_action(self, url, callback, *args, message="saved"):
        """Run a member's portal action, then go back to ``url``. A refused action
        (UserError, ValidationError, a number that does not parse) keeps nothing
        and shows its message (``?error=``); a done one shows ``?message=``."""
        sep = "&" if "?" in url else "?"
        try:
            with request.env.cr.savepoint():
                callback(*args)
        except (UserError, ValidationError, ValueError) as exc:
            return request.redirect(f"{url}{sep}error={quote(str(exc.args[0]))}")
        return request.redirect(f"{url}{sep}message={message}")

    def _coop_portal_action(self, membership_id, callback):
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        return self._coop_run_action(f"/my/membership/{membership_id}", callback, membership_sudo)

    @http.route(
        "/my/membership/<int:membership_id>/contest/<int:change_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_contest_regulation(self, membership_id, change_id, reason=None, **kw):
        def contest(membership_sudo):
            change = membership_sudo.regulation_change_ids.filtered(lambda c: c.id == change_id)
            if not change:
                raise UserError(request.env._("This regulation change does not concern your membership."))
            change.action_contest(reason)

        return self._coop_portal_action(membership_id, contest)

    @http.route(
        "/my/membership/<int:membership_id>/pm_change", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_request_pm_change(self, membership_id, reason=None, **kw):
        def request_change(membership_sudo):
            if not (reason or "").strip():
                raise UserError(request.env._("Please say why you want another Project Manager."))
            if membership_sudo.pm_change_request_ids.filtered(lambda r: r.state == "requested"):
                raise UserError(request.env._("A request is already waiting for an answer."))
            change = (
                request.env["coop.pm.change.request"]
                .sudo()
                .create(
                    {
                        "membership_id": membership_sudo.id,
                        "reason": reason.strip(),
                        "requested_by_id": request.env.user.id,
                        "current_pm_id": membership_sudo.pm_id.id,
                    }
                )
            )
            change._notify_staff()

        return self._coop_portal_action(membership_id, request_change)

    @http.route("/my/membership/<int:membership_id>/agent", type="http", auth="user", methods=["POST"], website=True)
    def portal_create_agent(self, membership_id, name=None, email=None, finance=None, projects=None, **kw):
        def create_agent(membership_sudo):
            _partner, rights = self._coop_agent()
            if not rights["agents"]:
                raise UserError(request.env._("Your mandate does not include managing agents."))
            if not (name or "").strip():
                raise UserError(request.env._("Give the agent's name."))
            request.env["res.partner"]._coop_create_agent(
                membership_sudo.partner_id, name.strip(), email, finance=bool(finance), projects=bool(projects)
            )

        return self._coop_portal_action(membership_id, create_agent)
