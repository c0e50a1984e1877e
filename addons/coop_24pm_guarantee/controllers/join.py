from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.coop_24pm_membership.controllers.join import CoopJoinPortal


class CoopJoinMandatePortal(CoopJoinPortal):
    """Step 6 of the online journey: the SEPA B2B mandate, or prepayments instead (SPEC 4.3).

    Every route acts on the user's own company's application only (no id in the URL),
    and needs the finance right of the user's mandate.
    """

    def _coop_join_values(self, **kw):
        values = super()._coop_join_values(**kw)
        values["join_guarantee_preview"] = request.env["coop.regulation"].sudo()._get_current()._coop_join_guarantee()
        # the B share invoiced at the signature (art. 2.2), at its class's nominal value
        values["join_share_price"] = request.env.ref("coop_24pm_membership.share_class_b").sudo().nominal_value
        return values

    def _coop_join_own_application(self):
        user = request.env.user
        application = request.env["coop.membership.application"]._coop_join_get_application(user)
        if not application or not application._coop_join_is_current():
            raise UserError(request.env._("There is no application of your company in progress."))
        application._coop_join_check_payment_user(user)
        return application

    @http.route("/my/join/mandate/iban", type="http", auth="user", methods=["POST"], website=True)
    def portal_join_mandate_iban(self, iban=None, **kw):
        return self._coop_join_redirect(
            lambda: self._coop_join_own_application()._coop_join_mandate_iban(request.env.user, iban)
        )

    @http.route("/my/join/prepayment", type="http", auth="user", methods=["POST"], website=True)
    def portal_join_prepayment(self, **kw):
        return self._coop_join_redirect(
            lambda: self._coop_join_own_application()._coop_join_choose_prepayment(request.env.user)
        )

    @http.route("/my/join/mandate/sign", type="jsonrpc", auth="user", website=True)
    def portal_join_mandate_sign(self, name=None, signature=None, **kw):
        """Called by Odoo's portal signature widget."""
        try:
            self._coop_join_own_application()._coop_join_mandate_sign(request.env.user, name, signature)
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            return {"error": str(exc.args[0])}
        return {"force_refresh": True, "redirect_url": "/my/join"}

    @http.route("/my/join/mandate/pdf", type="http", auth="user", website=True)
    def portal_join_mandate_pdf(self, download=False, **kw):
        try:
            application = self._coop_join_own_application()
        except UserError:
            return request.not_found()
        if not application.join_mandate_id:
            return request.not_found()
        return self._show_report(
            model=application.join_mandate_id.sudo(),
            report_type="pdf",
            download=download,
            report_ref="account_banking_sepa_direct_debit.report_sepa_direct_debit_mandate",
        )
