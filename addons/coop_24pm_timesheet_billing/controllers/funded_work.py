from odoo import http
from odoo.http import request

from odoo.addons.coop_24pm_guarantee.controllers.portal import CoopGuaranteePortal


class CoopFundedWorkPortal(CoopGuaranteePortal):
    """Funded work ("risk 0"): the balance left on the trust account page and the
    release of the funded amount on delivery (finance right; another member's: 404).
    The trust account page also shows the final settlement (SPEC 7.4)."""

    @http.route()
    def portal_my_trust_account(self, membership_id, message=None, error=None, **kw):
        response = super().portal_my_trust_account(membership_id, message=message, error=error, **kw)
        qcontext = getattr(response, "qcontext", None)
        membership_sudo = qcontext and qcontext.get("membership")
        if membership_sudo:
            qcontext["settlement"] = request.env["coop.membership.settlement"]._coop_of(membership_sudo)
        if membership_sudo and membership_sudo._coop_is_funded():
            qcontext["funded"] = membership_sudo._get_prepayment_account()._coop_funded_figures()
        return response

    @http.route(
        "/my/membership/<int:membership_id>/funded_release", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_release_funded(self, membership_id, amount=None, **kw):
        def release(membership_sudo):
            value = self._coop_input().amount(
                amount,
                request.env._("the amount released"),
                maximum=self.PORTAL_AMOUNT_MAX,
                currency=membership_sudo.currency_id,
            )
            membership_sudo._get_prepayment_account().action_coop_release_funded(value, released_by=request.env.user)

        return self._coop_trust_action(membership_id, release, "pay")
