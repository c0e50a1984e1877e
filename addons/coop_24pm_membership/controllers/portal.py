from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal_input import LONG_TEXT_MAX, SHORT_TEXT_MAX, CoopPortalInput


class CoopMembershipPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "coop_membership_count" in counters:
            Membership = request.env["coop.membership"]
            values["coop_membership_count"] = Membership.search_count([]) if Membership.has_access("read") else 0
        return values

    def _prepare_address_form_values(self, *args, **kwargs):
        # issue 22: portal writes its "VAT" label in Python, read from portal's catalogues only
        values = super()._prepare_address_form_values(*args, **kwargs)
        if values.get("vat_label") == "VAT":
            values["vat_label"] = request.env._("VAT")
        return values

    def _coop_agent(self):
        """The logged-in user's contact and its rights (art. 4.6) for the templates: the
        predicates ``res.partner.coop_has_<right>_right``, nothing else."""
        partner = request.env.user.partner_id
        return partner, {
            "finance": partner.coop_has_finance_right,
            "projects": partner.coop_has_projects_right,
            "agents": partner.coop_has_agents_right,
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
            "regulation_changes": membership.env["coop.regulation.change"].search(
                [("membership_id", "=", membership.id), ("state", "in", ("notified", "contested"))]
            ),
            "pm_requests": membership.env["coop.pm.change.request"].search([("membership_id", "=", membership.id)]),
            "agents": self._coop_member_agents(membership.sudo()) if rights["agents"] else None,
            "current_agent": partner,
        }
        values.update(kwargs)
        return values

    def _coop_home_membership(self):
        """The user's current membership (the latest not terminated, else the latest)."""
        Membership = request.env["coop.membership"]
        if not Membership.has_access("read"):
            return Membership
        memberships = Membership.search([], order="date_application desc, id desc")
        return memberships.filtered(lambda m: m.state != "terminated")[:1] or memberships[:1]

    @http.route("/my/membership", type="http", auth="user", website=True)
    def portal_my_membership_current(self, **kw):
        current = self._coop_home_membership()
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
        values = self._coop_membership_values(membership, **self._coop_pop_notice())
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

    @http.route("/my/membership/<int:membership_id>/share-certificate", type="http", auth="user", website=True)
    def portal_membership_share_certificate(self, membership_id, **kw):
        """The certificate of the member's B share(s) (PDF), for the agents who see the
        shares: the finance right (403 without it), the user's own member (404)."""
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        if not request.env.user.partner_id.coop_has_finance_right:
            raise Forbidden()
        return self._show_report(
            model=membership_sudo,
            report_type="pdf",
            download=True,
            report_ref="coop_24pm_membership.action_report_share_certificate",
        )

    @http.route("/my/membership/<int:membership_id>/export", type="http", auth="user", website=True)
    def portal_membership_export(self, membership_id, **kw):
        """The member's own data (a zip of JSON and CSV files), as member or former
        member: an agent of the member (404 otherwise) receives the tables its rights
        open (SPEC 2.3: personal files are deleted when the account closes)."""
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        if not membership_sudo._coop_portal_allows("export"):
            request.session[self._COOP_NOTICE_KEY] = {
                "error": request.env._("Your data can be downloaded once your contract is concluded.")
            }
            return request.redirect(f"/my/membership/{membership_id}")
        content = (
            request.env["coop.personal.data.export"].sudo()._zip(membership_sudo, request.env.user.partner_id.sudo())
        )
        filename = f"{membership_sudo.partner_id.name} - {membership_sudo.name}.zip".replace("/", "-")
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    #: where a portal action leaves its outcome for the next page (Odoo's portal pattern:
    #: the session, never the URL, so that no link can make 24PM's portal say anything)
    _COOP_NOTICE_KEY = "coop_portal_notice"

    def _coop_input(self):
        """The one parser of the portal's forms (``portal_input.CoopPortalInput``)."""
        return CoopPortalInput(request.env)

    def _coop_run_action(self, url, callback, *args, message="saved"):
        """Run a member's portal action, then go back to ``url``. A refused action
        (UserError, ValidationError, AccessError on a step out of its state) keeps
        nothing and its message is shown on the next page; a done one shows ``message``.
        Both travel through the session."""
        try:
            with request.env.cr.savepoint():
                callback(*args)
        except (UserError, ValidationError) as exc:
            request.session[self._COOP_NOTICE_KEY] = {"error": str(exc.args[0])}
        except ValueError:
            # a value no parser of the suite caught: never show Python's words
            request.session[self._COOP_NOTICE_KEY] = {"error": request.env._("A value of the form could not be read.")}
        else:
            request.session[self._COOP_NOTICE_KEY] = {"message": message}
        return request.redirect(url)

    def _coop_pop_notice(self):
        """The outcome of the last portal action (``message`` and ``error``), once."""
        notice = request.session.pop(self._COOP_NOTICE_KEY, None) or {}
        return {"message": notice.get("message"), "error": notice.get("error")}

    def _coop_portal_action(self, membership_id, callback, action="request"):
        """Run ``callback`` on the member's membership when its state allows ``action``
        on the portal (SPEC 7.4); a refusal says why and changes nothing."""
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        return self._coop_run_action(
            f"/my/membership/{membership_id}", self._coop_state_guard(callback, action), membership_sudo
        )

    @staticmethod
    def _coop_state_guard(callback, action):
        """``callback`` preceded by the check that the membership's state allows ``action``."""

        def guarded(membership_sudo, *args):
            membership_sudo._coop_check_portal_action(action)
            return callback(membership_sudo, *args)

        return guarded

    @http.route(
        "/my/membership/<int:membership_id>/contest/<int:change_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_contest_regulation(self, membership_id, change_id, reason=None, **kw):
        def contest(membership_sudo):
            change = membership_sudo.env["coop.regulation.change"].search(
                [("id", "=", change_id), ("membership_id", "=", membership_sudo.id), ("state", "=", "notified")]
            )
            if not change:
                raise UserError(request.env._("This regulation change does not concern your membership."))
            change.action_contest(self._coop_input().text(reason, request.env._("the reason"), LONG_TEXT_MAX))

        return self._coop_portal_action(membership_id, contest, action="dispute")

    #: the disputes after which either party may give a short notice (art. 6.3, 11.1)
    _COOP_DISPUTE_MODELS = ("coop.regulation.change", "coop.invoice.dispute")

    @http.route(
        "/my/membership/<int:membership_id>/dispute-notice", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_dispute_notice(self, membership_id, model=None, res_id=None, **kw):
        """Art. 6.3 and 11.1: the dispute persists, the member ends the contract with 15
        days' notice. Giving notice needs the management right (403 otherwise)."""
        if not self._coop_agent()[1]["agents"]:
            raise Forbidden()

        def give_notice(membership_sudo):
            dispute = request.env["coop.regulation.change"].browse()
            if model in self._COOP_DISPUTE_MODELS and str(res_id or "").isdigit():
                dispute = (
                    request.env[model]
                    .sudo()
                    .search([("id", "=", int(res_id)), ("membership_id", "=", membership_sudo.id)])
                )
            if not dispute:
                raise UserError(request.env._("This dispute does not concern your membership."))
            membership_sudo.action_give_dispute_notice(dispute)
            membership_sudo.termination_id._notice_activity(request.env.user)

        return self._coop_portal_action(membership_id, give_notice, action="give_notice")

    @http.route(
        "/my/membership/<int:membership_id>/pm_change", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_request_pm_change(self, membership_id, reason=None, **kw):
        def request_change(membership_sudo):
            reason_text = self._coop_input().text(reason, request.env._("the reason"), LONG_TEXT_MAX)
            if membership_sudo.env["coop.pm.change.request"].search_count(
                [("membership_id", "=", membership_sudo.id), ("state", "=", "requested")], limit=1
            ):
                raise UserError(request.env._("A request is already waiting for an answer."))
            change = (
                request.env["coop.pm.change.request"]
                .sudo()
                .create(
                    {
                        "membership_id": membership_sudo.id,
                        "reason": reason_text,
                        "requested_by_id": request.env.user.id,
                        "current_pm_id": membership_sudo.pm_id.id,
                    }
                )
            )
            change._notify_staff()

        return self._coop_portal_action(membership_id, request_change)

    # ------------------------------------------------------------------
    # the company's agents (art. 4.6)
    # ------------------------------------------------------------------
    #: the largest amount limit of a mandate the portal accepts
    _COOP_AGENT_LIMIT_MAX = 1_000_000

    def _coop_agents_action(self, membership_id, callback, agent_id=None):
        """An action on the company's agents: the user acts for the membership's member
        (404 otherwise) and holds the management right (403 otherwise); ``agent_id`` must
        be an agent of that member (404 otherwise)."""
        try:
            membership_sudo = self._document_check_access("coop.membership", membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        _partner, rights = self._coop_agent()
        if not rights["agents"]:
            raise Forbidden()
        args = ()
        if agent_id is not None:
            # the member's contacts that have or had a login (a revoked agent's is archived)
            agent = membership_sudo.partner_id.commercial_partner_id.child_ids.filtered(
                lambda p: p.id == agent_id and p.with_context(active_test=False).user_ids
            )
            if not agent:
                return request.not_found()
            args = (agent,)
        return self._coop_run_action(
            f"/my/membership/{membership_id}#coop_agents",
            self._coop_state_guard(callback, "manage"),
            membership_sudo,
            *args,
        )

    @staticmethod
    def _coop_member_agents(membership_sudo):
        """The member's agents: contacts of the company with an active portal login."""
        return membership_sudo.partner_id.commercial_partner_id.child_ids.filtered(
            lambda p: p.user_ids and all(p.user_ids.mapped("share"))
        )

    def _coop_mandate_from_form(self, membership_sudo, form):
        """The mandate an agent's form posts: rights, amount limit, limits in words.
        Other addons read their limits (the projects of the mandate)."""
        parse = self._coop_input()
        limit = str(form.get("limit_amount") or "").strip()
        return {
            "finance": bool(form.get("finance")),
            "projects": bool(form.get("projects")),
            "agents": bool(form.get("agents")),
            "limit_amount": parse.amount(
                limit,
                request.env._("the amount limit per request"),
                maximum=self._COOP_AGENT_LIMIT_MAX,
                minimum=0,
                currency=membership_sudo.currency_id,
            )
            if limit
            else 0.0,
            "limits": parse.text(form.get("limits"), request.env._("the limits"), LONG_TEXT_MAX, required=False),
        }

    @http.route("/my/membership/<int:membership_id>/agent", type="http", auth="user", methods=["POST"], website=True)
    def portal_create_agent(self, membership_id, name=None, email=None, **kw):
        """Art. 4.6: creating the agent's portal user is the mandate."""

        def create_agent(membership_sudo):
            parse = self._coop_input()
            mandate = self._coop_mandate_from_form(membership_sudo, kw)
            request.env["res.partner"]._coop_create_agent(
                membership_sudo.partner_id,
                parse.text(name, request.env._("the agent's name"), SHORT_TEXT_MAX),
                parse.text(email, request.env._("the agent's e-mail address"), SHORT_TEXT_MAX),
                finance=mandate.pop("finance"),
                projects=mandate.pop("projects"),
                agents=mandate.pop("agents"),
                limit_amount=mandate.pop("limit_amount"),
                limits=mandate.pop("limits"),
                granter=request.env.user.partner_id.sudo(),
                mandate=mandate,
            )

        return self._coop_agents_action(membership_id, create_agent)

    @http.route(
        "/my/membership/<int:membership_id>/agent/<int:agent_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_change_agent(self, membership_id, agent_id, **kw):
        """Art. 4.6: set or change the rights and limits of an agent."""

        def change_agent(membership_sudo, agent):
            agent._coop_set_mandate(
                self._coop_mandate_from_form(membership_sudo, kw), request.env.user.partner_id.sudo()
            )

        return self._coop_agents_action(membership_id, change_agent, agent_id=agent_id)

    @http.route(
        "/my/membership/<int:membership_id>/agent/<int:agent_id>/revoke",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_revoke_agent(self, membership_id, agent_id, **kw):
        """Art. 4.6: revoke an agent's mandate (its login is archived)."""

        def revoke_agent(membership_sudo, agent):
            agent._coop_revoke_mandate(request.env.user.partner_id.sudo())

        return self._coop_agents_action(membership_id, revoke_agent, agent_id=agent_id)

    # ------------------------------------------------------------------
    # notice of termination (art. 4.4.1)
    # ------------------------------------------------------------------
    def _coop_notice_membership(self, membership_id):
        """The membership of the user's member (404 otherwise), for an agent holding the
        management right (403 otherwise): giving notice ends the company's contract."""
        membership_sudo = self._document_check_access("coop.membership", membership_id)
        _partner, rights = self._coop_agent()
        if not rights["agents"]:
            raise Forbidden()
        return membership_sudo, rights

    @http.route("/my/membership/<int:membership_id>/notice", type="http", auth="user", methods=["GET"], website=True)
    def portal_membership_notice(self, membership_id, **kw):
        try:
            membership_sudo, rights = self._coop_notice_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()
        Termination = request.env["coop.membership.termination"].sudo()
        earliest = Termination._notice_end_date(membership_sudo)
        date_end = membership_sudo.date_end if membership_sudo.state == "notice" else earliest
        values = {
            "page_name": "coop_notice",
            "membership": membership_sudo,
            "rights": rights,
            "earliest_end": earliest,
            "notice_period": Termination._notice_period_text(membership_sudo),
            "may_give_notice": membership_sudo._coop_portal_allows("give_notice") and membership_sudo.state != "notice",
            "settlement_preview": Termination._preview(membership_sudo, date_end) if date_end else [],
            "preview_end": date_end,
            **self._coop_pop_notice(),
        }
        return request.render("coop_24pm_membership.portal_my_membership_notice", values)

    @http.route("/my/membership/<int:membership_id>/notice", type="http", auth="user", methods=["POST"], website=True)
    def portal_membership_give_notice(self, membership_id, date_end=None, **kw):
        try:
            membership_sudo, _rights = self._coop_notice_membership(membership_id)
        except (AccessError, MissingError):
            return request.not_found()

        def give_notice(membership):
            membership.env["coop.membership.termination"]._portal_give_notice(
                membership,
                self._coop_input().date(date_end, request.env._("the end date"), required=True),
                request.env.user,
            )

        return self._coop_run_action(
            f"/my/membership/{membership_id}/notice",
            give_notice,
            membership_sudo,
            message="notice",
        )


def coop_finance_denied():
    """SPEC 2.4: a logged-in agent of a member without the finance right (anonymous
    visitors with an invoice's access token are Odoo's own payment links)."""
    user = request.env.user
    return not user._is_public() and not user.partner_id.coop_has_finance_right


class CoopAccountPortal(PortalAccount):
    """/my/invoices in the member's language (issue 22), for agents with the finance right."""

    @http.route()
    def portal_my_invoices(self, *args, **kw):
        if coop_finance_denied():
            raise Forbidden()
        return super().portal_my_invoices(*args, **kw)

    @http.route()
    def portal_my_invoice_detail(self, invoice_id, *args, **kw):
        """The invoice, its PDF (``report_type=pdf``) and its payment form: the finance right
        is needed even with the invoice's access token."""
        if coop_finance_denied():
            raise Forbidden()
        return super().portal_my_invoice_detail(invoice_id, *args, **kw)

    @http.route()
    def portal_my_overdue_invoices(self, *args, **kw):
        if coop_finance_denied():
            raise Forbidden()
        return super().portal_my_overdue_invoices(*args, **kw)

    # Odoo's source ships no French or Dutch for the labels that account's portal
    # controller writes in Python (its translations are read from account's own
    # catalogues only): the suite words them itself, in its catalogues (issue 22).
    @staticmethod
    def _coop_relabel(entries, labels):
        """``entries`` (account's {key: {"label": ...}}) with the suite's ``labels``."""
        for key, label in labels.items():
            if key in entries:
                entries[key]["label"] = label
        return entries

    def _get_account_searchbar_sortings(self):
        labels = {
            "date": request.env._("Date"),
            "duedate": request.env._("Due Date"),
            "name": request.env._("Reference"),
            "state": request.env._("Status"),
        }
        return self._coop_relabel(super()._get_account_searchbar_sortings(), labels)

    @http.route()
    def account(self, **kwargs):
        """/my/account: how invoices are received and their electronic format, named by the
        fields' selections (translated records) instead of the Python labels that account,
        snailmail_account and account_peppol add (read from their own catalogues only). On
        the rendering's values, so that the addons loaded after this one are covered too."""
        response = super().account(**kwargs)
        values = getattr(response, "qcontext", None)
        if values:
            Partner = request.env["res.partner"]
            for key, fname in (
                ("invoice_sending_methods", "invoice_sending_method"),
                ("invoice_edi_formats", "invoice_edi_format"),
            ):
                if values.get(key) and fname in Partner._fields:
                    labels = dict(Partner._fields[fname]._description_selection(request.env))
                    values[key] = {value: labels.get(value, label) for value, label in values[key].items()}
        return response

    def _get_account_searchbar_filters(self):
        labels = {
            "all": request.env._("All"),
            "overdue_invoices": request.env._("Overdue invoices"),
            "invoices": request.env._("Invoices"),
            "bills": request.env._("Bills"),
        }
        return self._coop_relabel(super()._get_account_searchbar_filters(), labels)


class CoopInvoicePaymentPortal(PaymentPortal):
    """The payment links of invoices: the finance right, as the invoice pages (SPEC 2.4)."""

    @http.route()
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        if coop_finance_denied():
            raise Forbidden()
        return super().invoice_transaction(invoice_id, access_token, **kwargs)

    @http.route()
    def overdue_invoices_transaction(self, payment_reference, **kwargs):
        if coop_finance_denied():
            raise Forbidden()
        return super().overdue_invoices_transaction(payment_reference, **kwargs)
