from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.coop_24pm_membership.controllers.portal_input import LONG_TEXT_MAX

from .portal import CoopBillingPortal


class CoopProposalPortal(CoopBillingPortal):
    """SPEC 6 (the B2BiZen seed), art. 4.7: the collaborators proposed for the member's
    missions, with their partial profile, and the steps of their selection. Agents with
    the projects right of the member only (403 without it, 404 for another member's);
    what a page shows of a collaborator is ``coop.mission.proposal.line._coop_portal_profile``."""

    def _coop_work_values(self, membership_sudo, **kwargs):
        values = super()._coop_work_values(membership_sudo, **kwargs)
        # read as the agent: the record rules keep the member's and the mandate's projects
        values["proposals"] = request.env["coop.mission.proposal"].search(
            [("membership_id", "=", membership_sudo.id), ("state", "in", ("proposed", "done"))]
        )
        return values

    def _coop_proposal(self, membership_id, proposal_id):
        """The member's proposal, after the checks: 404 for another member's (or one out of
        the agent's mandate), 403 without the projects right."""
        membership_sudo, rights = self._coop_work_membership(membership_id)
        if not rights["projects"]:
            raise Forbidden()
        proposal_sudo = self._document_check_access("coop.mission.proposal", proposal_id)
        if proposal_sudo.membership_id != membership_sudo:
            raise MissingError(request.env._("This proposal does not exist."))
        return membership_sudo, proposal_sudo

    def _coop_proposal_url(self, membership_id, proposal_id):
        return f"/my/membership/{membership_id}/proposal/{proposal_id}"

    @http.route("/my/membership/<int:membership_id>/proposal/<int:proposal_id>", type="http", auth="user", website=True)
    def portal_my_proposal(self, membership_id, proposal_id, **kw):
        try:
            membership_sudo, proposal_sudo = self._coop_proposal(membership_id, proposal_id)
        except (AccessError, MissingError):
            return request.not_found()
        today = fields.Date.context_today(proposal_sudo)
        values = {
            "page_name": "coop_proposal",
            "membership": membership_sudo,
            "proposal": proposal_sudo,
            "profiles": [line._coop_portal_profile(today) for line in proposal_sudo.line_ids],
            "currency": membership_sudo.currency_id,
            **self._coop_pop_notice(),
        }
        return request.render("coop_24pm_timesheet_billing.portal_my_proposal", values)

    def _coop_proposal_action(self, membership_id, proposal_id, line_id, callback):
        try:
            membership_sudo, proposal_sudo = self._coop_proposal(membership_id, proposal_id)
        except (AccessError, MissingError):
            return request.not_found()

        def run(membership_sudo):
            line = proposal_sudo.line_ids.filtered(lambda rec: rec.id == line_id)
            if not line:
                raise UserError(request.env._("This collaborator is not proposed for this mission."))
            callback(line)

        return self._coop_run_action(
            self._coop_proposal_url(membership_id, proposal_id),
            self._coop_state_guard(run, "request"),
            membership_sudo,
        )

    @http.route(
        "/my/membership/<int:membership_id>/proposal/<int:proposal_id>/line/<int:line_id>/accept",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_proposal_accept(self, membership_id, proposal_id, line_id, step=None, **kw):
        """The agent accepts the step the collaborator is at (shortlist, then selection)."""
        return self._coop_proposal_action(
            membership_id,
            proposal_id,
            line_id,
            lambda line: line.action_accept_step(step, agent=request.env.user.partner_id),
        )

    @http.route(
        "/my/membership/<int:membership_id>/proposal/<int:proposal_id>/line/<int:line_id>/decline",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_proposal_decline(self, membership_id, proposal_id, line_id, step=None, reason=None, **kw):
        """The agent declines the collaborator at the step it is at, with an optional reason."""

        def decline(line):
            text = self._coop_input().text(reason, request.env._("the reason"), LONG_TEXT_MAX, required=False)
            line.action_decline(step, reason=text, agent=request.env.user.partner_id)

        return self._coop_proposal_action(membership_id, proposal_id, line_id, decline)
