from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .portal import CoopMembershipPortal
from .portal_input import SHORT_TEXT_MAX


class CoopTransferPortal(CoopMembershipPortal):
    """ROI 2019 art. 3: the affiliate's agents read and sign the transfer contract that
    moves their contract to the current regulation."""

    def _coop_transfer(self, membership_id, transfer_id):
        """The transfer of the user's member (404 for another member's membership or a
        transfer of another membership)."""
        membership_sudo = self._document_check_access("coop.membership", membership_id)
        transfer_sudo = membership_sudo.env["coop.membership.transfer"].search(
            [("id", "=", transfer_id), ("membership_id", "=", membership_sudo.id), ("state", "!=", "draft")]
        )
        if not transfer_sudo:
            raise MissingError(request.env._("This transfer contract does not concern your membership."))
        return membership_sudo, transfer_sudo

    def _coop_transfer_values(self, membership_sudo, transfer_sudo):
        _partner, rights = self._coop_agent()
        return {
            "page_name": "coop_transfer",
            "membership": membership_sudo,
            "transfer": transfer_sudo,
            "rights": rights,
            "may_sign": rights["agents"] and transfer_sudo.state == "sent",
            **self._coop_pop_notice(),
        }

    @http.route(
        "/my/membership/<int:membership_id>/transfer/<int:transfer_id>",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_membership_transfer(self, membership_id, transfer_id, **kw):
        try:
            membership_sudo, transfer_sudo = self._coop_transfer(membership_id, transfer_id)
        except (AccessError, MissingError):
            return request.not_found()
        return request.render(
            "coop_24pm_membership.portal_my_membership_transfer",
            self._coop_transfer_values(membership_sudo, transfer_sudo),
        )

    @http.route(
        "/my/membership/<int:membership_id>/transfer/<int:transfer_id>/contract",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_membership_transfer_contract(self, membership_id, transfer_id, download=False, **kw):
        try:
            _membership_sudo, transfer_sudo = self._coop_transfer(membership_id, transfer_id)
        except (AccessError, MissingError):
            return request.not_found()
        return self._show_report(
            model=transfer_sudo,
            report_type="pdf",
            download=download,
            report_ref="coop_24pm_membership.action_report_membership_transfer",
        )

    @http.route(
        "/my/membership/<int:membership_id>/transfer/<int:transfer_id>/sign",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_membership_transfer_sign(
        self, membership_id, transfer_id, signatory_name=None, signatory_capacity=None, has_power=None, **kw
    ):
        """Sign the transfer contract: an agent of the member (404 otherwise) holding the
        management right (403 otherwise), as for a notice of termination: it changes the
        rules of the company's contract."""
        try:
            _membership_sudo, transfer_sudo = self._coop_transfer(membership_id, transfer_id)
        except (AccessError, MissingError):
            return request.not_found()
        if not request.env.user.partner_id.coop_has_agents_right:
            raise Forbidden()

        def sign(transfer):
            form = self._coop_input()
            transfer.action_sign(
                False,
                form.text(signatory_name, request.env._("the name of the signatory"), SHORT_TEXT_MAX),
                form.text(signatory_capacity, request.env._("the capacity of the signatory"), SHORT_TEXT_MAX),
                bool(has_power),
                user=request.env.user,
            )

        return self._coop_run_action(
            f"/my/membership/{membership_id}/transfer/{transfer_id}", sign, transfer_sudo, message="signed"
        )
