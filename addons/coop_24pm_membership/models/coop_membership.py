from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

#: SPEC 2.3 and 7.4, one name per concept: a member (every state of a membership but the
#: end: ``coop.membership.is_member``), a member in service (registered is an active
#: member, SPEC 2.3), and a member bound without notice (in service or suspended: the
#: states notice is given from). Domains: ``coop.membership._coop_state_domain``.
MEMBER_STATES = ("registered", "active", "suspended", "notice")
SERVING_STATES = ("registered", "active")
BOUND_STATES = (*SERVING_STATES, "suspended")
#: a member 24PM works for, notice period included (neither registered nor suspended):
#: the states its prepayments are invoiced in (SPEC 7.2)
WORKING_STATES = ("active", "notice")
#: an open membership is a member's (the same states)
OPEN_STATES = MEMBER_STATES
#: the groups of states ``_coop_state_domain`` names
STATE_GROUPS = {
    "member": MEMBER_STATES,
    "open": OPEN_STATES,
    "serving": SERVING_STATES,
    "bound": BOUND_STATES,
    "working": WORKING_STATES,
}

#: Lifecycle (SPEC 2.3): the start states each action accepts. Tests read this table.
#: A membership exists from the conclusion of its contract (issue 15): the journey before
#: (application, contract sent, signed) is a ``coop.membership.application``.
TRANSITIONS = {
    "action_activate": ("registered",),
    "action_suspend": SERVING_STATES,
    "action_resume": ("suspended",),
    "action_give_notice": BOUND_STATES,
    "action_terminate": MEMBER_STATES,
}


class CoopMembership(models.Model):
    """The membership contract of a company with 24PM (SPEC 2)."""

    _name = "coop.membership"
    _description = "Cooperative membership"
    _inherit = [
        "coop.tracking.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "coop.state.transition.mixin",
        "coop.membership.contract.mixin",
    ]
    _order = "date_application desc, id desc"
    _coop_transitions = TRANSITIONS

    einvoice_channel = fields.Char(
        "Invoices sent",
        compute="_compute_einvoice_channel",
        help="SPEC 7.6: how this member's invoices leave: as Peppol e-invoices in its country's format, or as a "
        "PDF by e-mail to its agents with the finance right.",
    )
    membership_type = fields.Selection(
        [("member", "Member"), ("affiliate", "Affiliate")],
        compute="_compute_membership_type",
        store=True,
    )
    state = fields.Selection(
        [
            ("registered", "Registered"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("notice", "Notice given"),
            ("terminated", "Terminated"),
        ],
        default="registered",
    )
    is_member = fields.Boolean(
        "Member",
        compute="_compute_is_member",
        store=True,
        index=True,
        help="SPEC 2.3: a member from the conclusion of its contract until its end (registered, active, "
        "suspended, notice given).",
    )
    # the contract is dated by its application (``date_application``) and its signature (also
    # an imported legacy membership, whose application is created for it); the rest of the
    # journey is the application's
    date_signed = fields.Date("Signed on", readonly=True, copy=False, tracking=True)
    # issue 21: the journey before the contract (application, e-contract, signature,
    # acceptance) is the application's; the membership points to it once, its copies are gone
    application_id = fields.Many2one(
        "coop.membership.application",
        "Application",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The application this membership was concluded from (set at its conclusion).",
    )
    date_registered = fields.Date("Entered in the register on", readonly=True, copy=False, tracking=True)
    date_start = fields.Date(
        "Commitment start",
        copy=False,
        tracking=True,
        help="Start of the plan; the anniversary date of annual commitments.",
    )
    # formal notice and suspension (art. 4.3): one record per episode, the one in progress here
    suspension_id = fields.Many2one(
        "coop.membership.suspension",
        "Formal notice or suspension in progress",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    # notice and termination (art. 4.4, 9, 10): the end's facts are a record of their own
    termination_id = fields.Many2one(
        "coop.membership.termination", "End of the membership", readonly=True, copy=False, index="btree_not_null"
    )
    date_end = fields.Date("End date", readonly=True, copy=False, tracking=True)
    needs_followup = fields.Boolean("Follow-up needed", tracking=True)
    attention = fields.Selection(
        [
            ("late", "Late payment"),
            ("suspended", "Suspended"),
            ("followup", "Follow-up needed"),
        ],
        "Needs attention",
        compute="_compute_attention",
        search="_search_attention",
        help="Why the row is coloured in the list: red, a payment of the member is late (an invoice past its "
        "due date, the guarantee unpaid after its deadline); "
        "orange, the membership is suspended. "
        "Follow-up needed (a contested regulation change, an expired mandate) is shown without colour; "
        "terminated memberships are grey.",
    )
    # people (art. 8.2)
    pm_id = fields.Many2one("res.users", "Project Manager", tracking=True, domain=[("share", "=", False)])
    am_id = fields.Many2one("res.users", "Account Manager", tracking=True, domain=[("share", "=", False)])
    agent_ids = fields.One2many(related="partner_id.child_ids", string="Contacts and agents")
    share_line_ids = fields.One2many("coop.share.line", "membership_id", "Register entries")
    b_shares = fields.Integer("B shares held", related="partner_id.coop_b_shares")

    _name_uniq = models.Constraint("UNIQUE(name, company_id)", "A membership reference must be unique.")
    # one membership in progress per company, enforced by the database so that two
    # simultaneous applications (two transactions) cannot both be created
    _one_open_per_partner = models.UniqueIndex(
        "(partner_id, company_id) WHERE state != 'terminated'",
        "This company already has a membership in progress: a company can re-join only after its "
        "previous contract is terminated.",
    )

    # ------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------
    def _is_late(self, late_partners):
        """A payment of the member is late: ``late_partners`` have an invoice past its due date."""
        self.ensure_one()
        return self.partner_id in late_partners

    def _get_attention_candidates_domains(self):
        """Domains that together hold every membership needing attention (for its search)."""
        return [
            [("state", "!=", "terminated"), ("partner_id", "in", self.env["res.partner"]._coop_late_partners().ids)],
            [("state", "=", "suspended")],
            [("needs_followup", "=", True)],
        ]

    @api.depends("state", "needs_followup")
    def _compute_attention(self):
        """Issue 22, one meaning per colour of the membership list: late, suspended, follow-up;
        the most urgent first (an application waiting for staff is blue in the applications')."""
        late = self.env["res.partner"]._coop_late_partners(self.partner_id if self else None)
        for membership in self:
            if membership.state == "terminated":
                membership.attention = False
            elif membership._is_late(late):
                membership.attention = "late"
            elif membership.state == "suspended":
                membership.attention = "suspended"
            elif membership.needs_followup:
                membership.attention = "followup"
            else:
                membership.attention = False

    def _search_attention(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        candidates = self.search(Domain.OR(self._get_attention_candidates_domains()))
        flagged = {membership.id: membership.attention for membership in candidates if membership.attention}
        values = set(value)
        if False in values:
            domain = [("id", "not in", [id_ for id_, attention in flagged.items() if attention not in values])]
        else:
            domain = [("id", "in", [id_ for id_, attention in flagged.items() if attention in values])]
        return domain if operator == "in" else ["!", *domain]

    @api.depends("state")
    def _compute_is_member(self):
        for membership in self:
            membership.is_member = membership.state in MEMBER_STATES

    @api.model
    def _coop_state_domain(self, group="member", path=""):
        """THE domain of the memberships in a group of states (``STATE_GROUPS``: "member" =
        "open", "serving", "bound", "working"), reached from another model through ``path``
        ("membership_id", "coop_membership_id.")."""
        prefix = f"{path.rstrip('.')}." if path else ""
        return Domain(f"{prefix}state", "in", STATE_GROUPS[group])

    @api.depends("regulation_id.is_affiliation")
    def _compute_membership_type(self):
        for membership in self:
            membership.membership_type = "affiliate" if membership.regulation_id.is_affiliation else "member"

    def _coop_responsible_user(self, fallback=None, prefer="pm"):
        """Art. 8.2, who follows the member up: its Project Manager, else its Account Manager
        (``prefer="am"``: the Account Manager first, for money and data matters), else
        ``fallback`` (each caller names its own: the current user, the administrator); no
        membership (an empty recordset) has only the fallback."""
        first, second = (self.am_id, self.pm_id) if prefer == "am" else (self.pm_id, self.am_id)
        return first or second or fallback or self.env["res.users"]

    def coop_partner_to(self, right=None):
        """SPEC 7.3: the mail templates' ``partner_to``, the member's agents with ``right``
        ("finance", "projects"; all of them by default)."""
        self.ensure_one()
        return self.partner_id._coop_recipients_to(right)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for membership in self:
            membership.access_url = f"/my/membership/{membership.id}"
        return res

    @api.constrains("application_id", "date_signed", "date_registered", "date_end")
    def _check_journey_dates(self):
        """Issue 22: the dates of a membership's journey follow its order: the contract is
        sent (on its application), then signed, then entered in the register, and ends
        after it started."""
        for membership in self:
            application = membership.application_id
            steps = [
                (application.date_sent, self.env._("Contract sent on")),
                (membership.date_signed, self.env._("Signed on")),
                (membership.date_registered, self.env._("Entered in the register on")),
            ]
            known = [(day, label) for day, label in steps if day]
            for (before, before_label), (after, after_label) in zip(known, known[1:], strict=False):
                if after < before:
                    raise ValidationError(
                        self.env._(
                            "%(membership)s: %(after_label)s %(after)s cannot precede %(before_label)s %(before)s.",
                            membership=membership.display_name,
                            after_label=after_label,
                            after=format_date(self.env, after),
                            before_label=before_label,
                            before=format_date(self.env, before),
                        )
                    )
            start = membership.date_registered or membership.date_signed
            if membership.date_end and start and membership.date_end < start:
                raise ValidationError(
                    self.env._(
                        "%(membership)s: the end date %(end)s cannot precede the start %(start)s.",
                        membership=membership.display_name,
                        end=format_date(self.env, membership.date_end),
                        start=format_date(self.env, start),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # refuse bad input before anything is written (the constraints check it again)
        self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )._coop_check_can_join()
        # a membership ended earlier in this transaction no longer counts as open (unique index)
        self.flush_model(["state"])
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.membership") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------------
    def _coop_post_state_change(self, body, notify_member=False):
        """Every change of state (SPEC 7.4): a message in the chatter; the member's agents
        are notified of the changes that concern them (suspension, resumption, notice,
        termination)."""
        for membership in self:
            if notify_member:
                membership.message_post(
                    body=body,
                    partner_ids=membership.partner_id._coop_recipients().ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                membership.message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.depends(
        "partner_id.invoice_edi_format",
        "partner_id.invoice_sending_method",
        "partner_id.peppol_eas",
        "partner_id.peppol_endpoint",
        "partner_id.peppol_verification_state",
    )
    def _compute_einvoice_channel(self):
        for membership in self:
            partner = membership.partner_id.commercial_partner_id.with_company(membership.company_id)
            membership.einvoice_channel = partner._coop_einvoice_channel()

    def _coop_is_accepted(self):
        """SPEC 2.1.5, issue 21: accepted as its application was (automatically or by staff);
        a membership created without an application (a script, an import) is accepted
        automatically in the regulation's countries only."""
        self.ensure_one()
        if self.application_id:
            return self.application_id._coop_is_accepted()
        return bool(self.regulation_id) and self.regulation_id._coop_accepts_automatically(self.partner_id.country_id)

    def _coop_enter_register(self, date=None):
        """SPEC 2.1.4: the entry in the shareholders' register concludes the contract.

        Called by the conclusion of an application (issue 15), which creates the membership;
        subscribes exactly one B share at its nominal value and posts it to capital."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        b_class = self.env.ref("coop_24pm_membership.share_class_b")
        for membership in self:
            if membership.share_line_ids.filtered(lambda line: line.share_class_id == b_class):
                raise UserError(self.env._("%s is already entered in the register.", membership.name))
            if not membership._coop_is_accepted():
                raise UserError(
                    self.env._(
                        "%s is located outside BE, FR, DE, LU and NL: staff must accept the application first.",
                        membership.partner_id.display_name,
                    )
                )
        self.env["coop.share.line"]._coop_subscribe_b_shares(self, date)
        self.write({"state": "registered", "date_registered": date})
        self._coop_post_state_change(
            self.env._(
                "Entered in the shareholders' register on %s: the contract is concluded.", format_date(self.env, date)
            )
        )
        self.partner_id._coop_set_einvoice_format()
        self._coop_on_register()
        return True

    def action_activate(self):
        """Start the plan: the member is active. Other addons add their checks."""
        self._check_transition("action_activate")
        self._coop_check_activation()
        today = fields.Date.context_today(self)
        for membership in self:
            membership.write({"state": "active", "date_start": membership.date_start or today})
        self._coop_post_state_change(self.env._("The plan is activated: the member is active."))
        return True

    def _coop_suspension(self):
        """The episode of formal notice and suspension in progress (art. 4.3), created by a
        formal notice or a suspension."""
        self.ensure_one()
        if not self.suspension_id:
            self.suspension_id = self.env["coop.membership.suspension"].create({"membership_id": self.id})
        return self.suspension_id

    def action_suspend(self, reason=None):
        """Art. 4.3, 4.6, 11.1, 5.3: suspend the contract; SPEC 7.4 says what it blocks."""
        self._check_transition("action_suspend")
        for membership in self:
            membership._coop_suspension()._coop_suspend(reason)
        return True

    def action_resume(self):
        """Lift the suspension: the membership returns to its state before it."""
        self._check_transition("action_resume")
        for membership in self:
            membership._coop_suspension()._coop_lift()
        return True

    def action_formal_notice(self, reason=None):
        """Art. 4.3: formal notice (``coop.membership.suspension._coop_give_formal_notice``)."""
        self.env["coop.membership.suspension"]._coop_give_formal_notice(self, reason)
        return True

    def action_open_formal_notice(self):
        """The form of the formal notice to send: the one in progress, or a new one."""
        self.ensure_one()
        action = self._open_wizard("coop.membership.suspension", self.env._("Formal notice"))
        return dict(action, res_id=self.suspension_id.id)

    def action_clear_formal_notice(self):
        """The data are corrected: the formal notice in progress is over (a suspension is
        over when it is lifted, ``action_resume``)."""
        today = fields.Date.context_today(self)
        self.filtered(lambda m: m.state != "suspended").suspension_id._coop_close(today)
        return True

    def _coop_termination(self):
        """The record of the membership's end (art. 4.4, 9, 10), created by its first notice
        or termination."""
        self.ensure_one()
        if not self.termination_id:
            self.termination_id = self.env["coop.membership.termination"].create({"membership_id": self.id})
        return self.termination_id

    def action_give_notice(self, date_notice=None, given_by="member", date_end=None):
        """Art. 4.4.1: notice of termination, ending the contract at the notice period's end or
        at ``date_end`` (``coop.membership.termination._give_notice``)."""
        self._check_transition("action_give_notice")
        date_notice = fields.Date.to_date(date_notice) or fields.Date.context_today(self)
        for membership in self:
            self.env["coop.membership.termination"]._give_notice(
                membership, date_notice, given_by, fields.Date.to_date(date_end)
            )
        return True

    def action_give_dispute_notice(self, dispute, date_notice=None, given_by="member"):
        """Art. 6.3 and 11.1: the short notice after a persisting ``dispute``
        (``coop.membership.termination._shorten_notice``)."""
        self.ensure_one()
        self._check_transition("action_give_notice")
        self.env["coop.membership.termination"]._shorten_notice(self, dispute)
        return self.action_give_notice(date_notice=date_notice, given_by=given_by)

    def action_terminate(self, date=None, termination_type="notice", fault_party=None, fault_description=None):
        """Terminate now: after notice, for serious fault (art. 10) or a withdrawn application."""
        self._check_transition("action_terminate")
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if termination_type == "fault":
            self.env["coop.membership.termination"]._record_fault(self, fault_party, fault_description)
        self._do_terminate(date, termination_type)
        self._coop_post_state_change(
            # the member is told by the termination's tracked notice (_do_terminate)
            self.env._("The contract is terminated on %s.", format_date(self.env, date))
        )
        return True

    def _do_terminate(self, date, termination_type):
        """Close the contract: buy back the B share at EUR 1 (art. 4.4.2) and start the
        12-month non-solicitation period (art. 9)."""
        self.env["coop.share.line"]._coop_buy_back_b_shares(self, date)
        for membership in self:
            membership._coop_termination()._coop_record_end(date, termination_type, membership.is_member)
            membership.write(
                {
                    "state": "terminated",
                    "date_end": membership.date_end if membership.date_end and membership.date_end <= date else date,
                }
            )
        self._coop_on_terminate()
        self.termination_id._coop_send_termination_notice()

    # ------------------------------------------------------------------
    # hooks for the other addons
    # ------------------------------------------------------------------
    def _get_monthly_contribution(self):
        """The member's current monthly contribution; ``coop_24pm_plans`` provides it."""
        self.ensure_one()
        return 0.0

    def _get_plan_margin(self, on_date=None):
        """Commercial margin (0.38 for 38 %) of the plan in force on ``on_date``;
        ``coop_24pm_plans`` provides it."""
        self.ensure_one()
        return 0.0

    def _get_guarantee_paid(self):
        """Guarantee actually paid and held (from the posted entries);
        ``coop_24pm_guarantee`` provides it."""
        self.ensure_one()
        return 0.0

    def _get_guarantees_paid(self):
        """{membership id: guarantee paid and held} for the whole recordset, in one query
        (``_get_guarantee_paid`` for many members)."""
        return {membership.id: membership._get_guarantee_paid() for membership in self}

    def _has_credit_line(self):
        """Whether 24PM granted the member a credit line (art. 6.2, 7.1)."""
        self.ensure_one()
        return False

    def _get_uninvoiced_amount(self):
        """Billable work not invoiced yet (the next service invoice being built);
        ``coop_24pm_timesheet_billing`` provides it."""
        self.ensure_one()
        return 0.0

    def _coop_check_activation(self):
        """Raise UserError when a membership cannot be activated yet (guarantee, mandate...)."""
        return True

    def _coop_on_register(self):
        """Called once the memberships are entered in the register."""
        return True

    def _coop_on_terminate(self):
        """Called once the memberships are terminated (invoice the indemnity, draw, ...)."""
        return True

    # ------------------------------------------------------------------
    # wizards and smart buttons
    # ------------------------------------------------------------------
    def _open_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "name": title,
            "context": {"default_membership_id": self.id},
        }

    def action_open_notice_wizard(self):
        return self._open_wizard("coop.membership.notice.wizard", self.env._("Notice of termination"))

    def action_open_terminate_wizard(self):
        return self._open_wizard("coop.membership.terminate.wizard", self.env._("Terminate"))

    def action_open_agent_wizard(self):
        return self._open_wizard("coop.agent.wizard", self.env._("New agent"))

    def action_view_share_lines(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("coop_24pm_membership.coop_share_line_action")
        action["domain"] = [("partner_id", "in", self.partner_id.ids)]
        return action

    @api.model
    def _get_latest_by_partner(self, partners):
        """{partner id: its latest membership (any state)}, in one query."""
        latest = {}
        for membership in self.search([("partner_id", "in", partners.ids)], order="date_application desc, id desc"):
            latest.setdefault(membership.partner_id.id, membership)
        return latest

    def _notify_regulation_change(self, new_regulation):
        """Art. 11.1: notify ``new_regulation`` (``coop.regulation.change._coop_notify``)."""
        return self.env["coop.regulation.change"]._coop_notify(self, new_regulation)
