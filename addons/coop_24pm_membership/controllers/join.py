from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class CoopJoinPortal(CustomerPortal):
    """Join 100 % online (SPEC 2.1): /my/join walks a company through the steps."""

    def _coop_join_values(self, **kw):
        Application = request.env["coop.membership.application"]
        application = Application._coop_join_get_application(request.env.user)
        if application and not application._coop_join_is_current():
            application = Application.sudo()  # refused, withdrawn or ended: the journey starts again
        steps = application._coop_join_steps() if application else Application._coop_join_steps()
        current = next((step for step in steps if not step["done"]), None)
        return {
            "page_name": "coop_join",
            # issue 15: the journey's record is the application; the membership exists from its conclusion
            "application": application,
            "membership": application.membership_id,
            "company": request.env.user.partner_id.commercial_partner_id.sudo(),
            "steps": steps,
            "current_step": current and current["key"],
            # the outcome of the last step, from the session (never from the URL)
            "error": (request.session.pop("coop_portal_notice", None) or {}).get("error"),
            "countries": request.env["res.country"].sudo().search([]),
            "signatory": request.session.get("coop_join_signatory"),
        }

    @http.route("/my/join", type="http", auth="user", website=True)
    def portal_join(self, **kw):
        return request.render("coop_24pm_membership.portal_join", self._coop_join_values(**kw))

    def _coop_join_refused(self, exc):
        """Back to the journey with the reason of the refusal, through the session."""
        request.session["coop_portal_notice"] = {"error": str(exc.args[0])}
        return request.redirect("/my/join")

    def _coop_join_redirect(self, callback):
        """Run one step; a refused step keeps nothing and shows why."""
        try:
            with request.env.cr.savepoint():
                callback()
        except (UserError, ValidationError) as exc:
            return self._coop_join_refused(exc)
        return request.redirect("/my/join")

    @http.route(
        "/my/join/company", type="http", auth="user", methods=["POST"], website=True, captcha="coop_join_company"
    )
    def portal_join_company(
        self, vat=None, company_name=None, not_incorporated=None, individual=None, country_code=None, **kw
    ):
        try:
            # counted even when the number is refused: that is what abuse looks like
            request.env["coop.rate.limit"]._coop_hit(
                "vat_lookup", ip=request.httprequest.remote_addr, user=request.env.user
            )
        except UserError as exc:
            return self._coop_join_refused(exc)
        return self._coop_join_redirect(
            lambda: request.env["coop.membership.application"]._coop_join_company(
                request.env.user,
                vat=vat,
                company_name=company_name,
                not_incorporated=bool(not_incorporated),
                individual=bool(individual),
                country_code=country_code,
            )
        )

    @http.route("/my/join/vat", type="http", auth="user", methods=["POST"], website=True, captcha="coop_join_company")
    def portal_join_vat(self, vat=None, **kw):
        """The VAT number of a company that joined while being incorporated."""
        try:
            request.env["coop.rate.limit"]._coop_hit(
                "vat_lookup", ip=request.httprequest.remote_addr, user=request.env.user
            )
        except UserError as exc:
            return self._coop_join_refused(exc)
        return self._coop_join_redirect(lambda: request.env["res.partner"]._coop_join_give_vat(request.env.user, vat))

    @http.route("/my/join/apply", type="http", auth="user", methods=["POST"], website=True)
    def portal_join_apply(self, **kw):
        return self._coop_join_redirect(
            lambda: request.env["coop.membership.application"]._coop_join_apply(
                request.env.user, self._coop_join_apply_vals(kw)
            )
        )

    def _coop_join_apply_vals(self, kw):
        """Values of the application taken from the form (other addons add theirs)."""
        return {}

    @http.route("/my/join/sign", type="jsonrpc", auth="user", website=True)
    def portal_join_sign(self, name=None, signature=None, capacity=None, has_power=None, **kw):
        """Called by Odoo's portal signature widget (name, signature) with the capacity and
        the power statement of the signatory, stored just before by /my/join/signatory."""
        application = request.env["coop.membership.application"]._coop_join_get_application(request.env.user)
        if not application or application.state != "sent":
            return {"error": request.env._("There is no contract waiting for your signature.")}
        pending = request.session.get("coop_join_signatory") or {}
        try:
            application._coop_join_sign(
                request.env.user, name, pending.get("capacity"), pending.get("has_power"), signature
            )
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            return {"error": str(exc.args[0])}
        request.session.pop("coop_join_signatory", None)
        return {"force_refresh": True, "redirect_url": "/my/join"}

    @http.route("/my/join/signatory", type="http", auth="user", methods=["POST"], website=True)
    def portal_join_signatory(self, capacity=None, has_power=None, **kw):
        def store():
            if not (capacity or "").strip():
                raise UserError(request.env._("Give your capacity in the company (e.g. managing director)."))
            if not has_power:
                raise UserError(
                    request.env._(
                        "Confirm that you have the power to bind the company: whoever commits a company "
                        "without that power is personally liable."
                    )
                )
            request.session["coop_join_signatory"] = {"capacity": capacity.strip(), "has_power": True}

        return self._coop_join_redirect(store)

    @http.route("/my/join/contract", type="http", auth="user", website=True)
    def portal_join_contract(self, download=False, **kw):
        """The e-contract of the user's company's application (no id in the URL: only its own)."""
        application = request.env["coop.membership.application"]._coop_join_get_application(request.env.user)
        if not application or not application._coop_join_is_current():
            return request.not_found()
        return self._show_report(
            model=application.sudo(),
            report_type="pdf",
            download=download,
            report_ref="coop_24pm_membership.action_report_application_contract",
        )
