import base64

from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.coop_24pm_membership.controllers.portal import CoopMembershipPortal


class CoopGuaranteePortal(CoopMembershipPortal):
    """Trust account page (art. 4.7): figures, guarantee, disputes, top-up requests."""

    def _prepare_home_portal_values(self, counters):
        """Cards of /my (issue 22): the trust account (open invoices) and the disputes."""
        values = super()._prepare_home_portal_values(counters)
        if not ({"coop_trust_count", "coop_dispute_count"} & set(counters)):
            return values
        membership = self._coop_home_membership()
        allowed = bool(membership) and request.env.user.partner_id.coop_has_finance_right
        if "coop_trust_count" in counters:
            values["coop_trust_count"] = (
                request.env["account.move"]
                .sudo()
                .search_count(
                    [
                        ("move_type", "in", ("out_invoice", "out_refund")),
                        ("state", "=", "posted"),
                        ("commercial_partner_id", "=", membership.partner_id.id),
                        ("payment_state", "in", ("not_paid", "partial")),
                    ]
                )
                if allowed
                else 0
            )
        if "coop_dispute_count" in counters:
            values["coop_dispute_count"] = (
                request.env["coop.invoice.dispute"].sudo().search_count([("membership_id", "=", membership.id)])
                if allowed
                else 0
            )
        return values

    @http.route("/my/trust", type="http", auth="user", website=True)
    def portal_my_trust_current(self, **kw):
        membership = self._coop_home_membership()
        if not membership:
            return request.redirect("/my")
        return request.redirect(f"/my/membership/{membership.id}/trust")

    def _coop_trust_membership(self, membership_id):
        """The membership if the user's member owns it and the user holds the finance right."""
        membership_sudo = self._document_check_access("coop.membership", membership_id)
        if not request.env.user.partner_id.coop_has_finance_right:
            # the member's own page, forbidden to this agent (SPEC 2.4): 403, no content
            raise Forbidden()
        return membership_sudo

    @http.route("/my/membership/<int:membership_id>/statement", type="http", auth="user", website=True)
    def portal_membership_statement(self, membership_id, date_start=None, date_end=None, **kw):
        """The member's account statement as a PDF (OCA ``partner_statement``): its
        receivable's activity over the period (the last twelve months by default), with
        the aging of what is due. The finance right is needed (403)."""
        try:
            membership_sudo = self._coop_trust_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        parse = self._coop_input()
        today = fields.Date.context_today(membership_sudo)
        try:
            end = parse.date(date_end, request.env._("the end of the period")) or today
            start = parse.date(date_start, request.env._("the start of the period")) or (
                end - relativedelta(years=1) + relativedelta(days=1)
            )
            if start > end:
                raise UserError(request.env._("The period of the statement starts after its end."))
        except UserError as exc:
            request.session[self._COOP_NOTICE_KEY] = {"error": str(exc.args[0])}
            return request.redirect(f"/my/membership/{membership_id}/trust")
        content, report_type = membership_sudo.env["coop.trust.account"]._coop_statement_pdf(
            membership_sudo, start, end
        )
        filename = request.env._("Account statement %(member)s %(date)s", member=membership_sudo.name, date=end)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf" if report_type == "pdf" else "text/html; charset=utf-8"),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(f"{filename.replace('/', '-')}.{report_type}")),
            ],
        )

    def _coop_disputable_invoices(self, membership_sudo):
        """The invoices the dispute form offers: those the member can still dispute
        today (art. 6.3 and 5.1), never a call for funds nor an invoice past its days."""
        invoices = (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "=", membership_sudo.partner_id.id),
                    ("company_id", "=", membership_sudo.company_id.id),
                    ("payment_state", "=", "not_paid"),
                    ("coop_is_call_for_funds", "=", False),
                ],
                order="invoice_date desc, id desc",
            )
        )
        today = fields.Date.context_today(membership_sudo)
        return invoices.filtered(lambda invoice: invoice._coop_is_disputable(today))

    @http.route("/my/membership/<int:membership_id>/trust", type="http", auth="user", website=True)
    def portal_my_trust_account(self, membership_id, message=None, error=None, **kw):
        try:
            membership_sudo = self._coop_trust_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        values = {
            "page_name": "coop_trust_account",
            "membership": membership_sudo,
            "trust": membership_sudo.env["coop.trust.account"]._coop_get_values(membership_sudo),
            "guarantee_moves": membership_sudo.guarantee_id.move_ids.filtered(lambda m: m.state != "cancel"),
            "disputes": request.env["coop.invoice.dispute"].sudo().search([("membership_id", "=", membership_sudo.id)]),
            "invoices": self._coop_disputable_invoices(membership_sudo),
            **self._coop_pop_notice(),
        }
        return request.render("coop_24pm_guarantee.portal_my_trust_account", values)

    def _coop_trust_action(self, membership_id, callback, action):
        """A finance action of the member, when its state allows ``action`` (SPEC 7.4)."""
        try:
            membership_sudo = self._coop_trust_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        return self._coop_run_action(
            f"/my/membership/{membership_id}/trust", self._coop_state_guard(callback, action), membership_sudo
        )

    #: the largest amount the portal's money forms accept: a bound against typing errors
    #: and overflows, far above any guarantee or invoice of the regulations
    PORTAL_AMOUNT_MAX = 1_000_000

    @http.route("/my/membership/<int:membership_id>/topup", type="http", auth="user", methods=["POST"], website=True)
    def portal_request_topup(self, membership_id, amount=None, **kw):
        def topup(membership_sudo):
            value = self._coop_input().amount(
                amount,
                request.env._("the amount of the top-up"),
                maximum=self.PORTAL_AMOUNT_MAX,
                currency=membership_sudo.currency_id,
            )
            membership_sudo.action_request_topup(value, requested_by=request.env.user)

        return self._coop_trust_action(membership_id, topup, "pay")

    @http.route("/my/membership/<int:membership_id>/dispute", type="http", auth="user", methods=["POST"], website=True)
    def portal_file_dispute(
        self, membership_id, invoice_id=None, amount=None, subject=None, date_undisputed_payment=None, **kw
    ):
        def dispute(membership_sudo):
            parse = self._coop_input()
            invoice = parse.choice(
                invoice_id,
                self._coop_disputable_invoices(membership_sudo),
                request.env._("Choose one of the invoices the form offers: the others can no longer be disputed."),
            )
            disputed = parse.amount(
                amount,
                request.env._("the disputed amount"),
                maximum=invoice.amount_total,
                currency=invoice.currency_id,
            )
            object_text = parse.text(subject, request.env._("the object of the dispute"))
            date_payment = parse.date(date_undisputed_payment, request.env._("the payment date of the undisputed part"))
            files = request.httprequest.files.getlist("attachments")
            attachments = (
                request.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {"name": f.filename, "datas": base64.b64encode(f.read()), "res_model": "coop.invoice.dispute"}
                        for f in files
                        if f and f.filename
                    ]
                )
            )
            record = (
                request.env["coop.invoice.dispute"]
                .sudo()
                .create(
                    {
                        "invoice_id": invoice.id,
                        "invoice_ref": invoice.name,
                        "amount": disputed,
                        "subject": object_text,
                        "channel": "portal",
                        "filed_by_id": request.env.user.id,
                        "date_undisputed_payment": date_payment,
                        "attachment_ids": [(6, 0, attachments.ids)],
                    }
                )
            )
            attachments.write({"res_id": record.id})

        return self._coop_trust_action(membership_id, dispute, "dispute")

    @http.route(
        "/my/membership/<int:membership_id>/discrepancy", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_flag_discrepancy(self, membership_id, description=None, **kw):
        return self._coop_trust_action(
            membership_id,
            lambda membership_sudo: membership_sudo.env["coop.trust.account"]._coop_flag_discrepancy(
                membership_sudo,
                self._coop_input().text(description, request.env._("the discrepancy")),
                flagged_by=request.env.user,
            ),
            "dispute",
        )

    @http.route(
        "/my/membership/<int:membership_id>/guarantee_refund", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_request_guarantee_refund(self, membership_id, **kw):
        return self._coop_trust_action(
            membership_id, lambda membership_sudo: membership_sudo.action_request_guarantee_refund(), "guarantee_refund"
        )
