from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

#: the states of an application in progress (SPEC 7.4: "application / contract sent / signed")
OPEN_APPLICATION_STATES = ("draft", "sent", "signed")

#: the start states each action accepts. Tests read this table.
APPLICATION_TRANSITIONS = {
    "action_send_contract": ("draft", "sent"),
    "action_sign": ("sent",),
    "action_accept": ("draft", "sent", "signed"),
    "action_conclude": ("signed",),
    "action_refuse": ("draft", "sent", "signed"),
    "action_cancel": ("draft", "sent", "signed"),
}


class CoopMembershipApplication(models.Model):
    """A company's application to become a member (SPEC 2.1, issue 15 item 4).

    Shaped like the cooperator addon's ``subscription.request``: a request with its own
    states (application, contract sent, signed, waiting for staff) that is concluded
    into the real record, a ``coop.membership``, once it is signed and accepted (entry
    in the shareholders' register). Nothing is invoiced before the acceptance.
    """

    _name = "coop.membership.application"
    _description = "Membership application"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "coop.state.transition.mixin",
        "coop.membership.contract.mixin",
        "coop.signature.mixin",
    ]
    _coop_transitions = APPLICATION_TRANSITIONS
    _order = "date_application desc, id desc"

    origin = fields.Selection([("staff", "Staff"), ("online", "Online")], default="staff", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Application"),
            ("sent", "Contract sent"),
            ("signed", "Signed"),
            ("done", "Concluded"),
            ("refused", "Refused"),
            ("cancelled", "Withdrawn"),
        ],
        default="draft",
    )
    # acceptance (SPEC 2.1.5)
    acceptance = fields.Selection(
        [
            ("auto", "Accepted automatically"),
            ("pending", "Waiting for staff"),
            ("accepted", "Accepted by staff"),
            ("refused", "Refused"),
        ],
        compute="_compute_acceptance",
        store=True,
        readonly=False,
        tracking=True,
    )
    refusal_reason = fields.Text()
    attention = fields.Selection(
        [("waiting", "Waiting for staff")],
        "Needs attention",
        compute="_compute_attention",
        search="_search_attention",
        help="Blue in the list: the application waits for staff's decision (a company outside BE/FR/DE/LU/NL).",
    )
    # dates and signature
    date_sent = fields.Date("Contract sent on", readonly=True, copy=False)
    date_signed = fields.Date("Signed on", readonly=True, copy=False, tracking=True)
    signatory_name = fields.Char(readonly=True, copy=False)
    signatory_capacity = fields.Char(
        readonly=True, copy=False, help="Capacity in which the signatory binds the company."
    )
    signatory_has_power = fields.Boolean(
        "Power to bind the company",
        readonly=True,
        copy=False,
        help="Whoever commits a company without the power to do so is personally liable.",
    )
    signature = fields.Image(max_width=1024, max_height=1024, copy=False, attachment=True)
    signed_by_user_id = fields.Many2one("res.users", "Signed online by", readonly=True, copy=False)
    # the record it concluded into
    membership_id = fields.Many2one("coop.membership", "Membership", readonly=True, copy=False, index="btree_not_null")
    date_concluded = fields.Date("Concluded on", readonly=True, copy=False)
    # SPEC 7.3: the recipients of the application's e-mails (all agents and the company's address)
    coop_partner_to_all = fields.Char(compute="_compute_coop_partner_to")
    am_id = fields.Many2one("res.users", "Account Manager", tracking=True, domain=[("share", "=", False)])

    _name_uniq = models.Constraint("UNIQUE(name, company_id)", "An application reference must be unique.")
    # one application in progress per company, enforced by the database so that two
    # simultaneous applications (two transactions) cannot both be created
    _one_open_per_partner = models.UniqueIndex(
        "(partner_id, company_id) WHERE state IN ('draft', 'sent', 'signed')",
        "This company already has an application in progress.",
    )

    # ------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------
    @api.depends("partner_id.country_id", "regulation_id.auto_accept_country_ids")
    def _compute_acceptance(self):
        """SPEC 2.1.5: the regulation's countries (BE, FR, DE, LU, NL) are accepted automatically;
        staff decide on the others."""
        for application in self:
            if application.acceptance in ("accepted", "refused"):
                continue
            regulation = application.regulation_id
            country = application.partner_id.country_id
            application.acceptance = (
                "auto" if regulation and regulation._coop_accepts_automatically(country) else "pending"
            )

    @api.depends("state", "acceptance")
    def _compute_attention(self):
        for application in self:
            waiting = application.state in OPEN_APPLICATION_STATES and application.acceptance == "pending"
            application.attention = "waiting" if waiting else False

    def _search_attention(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        waiting = [("state", "in", OPEN_APPLICATION_STATES), ("acceptance", "=", "pending")]
        domain = waiting if "waiting" in value else ["!", "&", *waiting]
        return domain if operator == "in" else ["!", *domain]

    def _compute_coop_partner_to(self):
        for application in self:
            people = application.partner_id._coop_recipients()
            if application.signed_by_user_id.partner_id.email:
                people |= application.signed_by_user_id.partner_id
            application.coop_partner_to_all = ",".join(str(pid) for pid in people.ids)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for application in self:
            application.access_url = "/my/join"
        return res

    @api.constrains("date_sent", "date_signed")
    def _check_journey_dates(self):
        for application in self:
            if application.date_sent and application.date_signed and application.date_signed < application.date_sent:
                raise ValidationError(
                    self.env._(
                        "%(application)s: the contract cannot be signed on %(signed)s, before it was sent on %(sent)s.",
                        application=application.display_name,
                        signed=format_date(self.env, application.date_signed),
                        sent=format_date(self.env, application.date_sent),
                    )
                )

    @api.constrains("signature")
    def _check_signature_needs_power(self):
        for application in self.filtered("signature"):
            if not application.signatory_has_power:
                raise ValidationError(self.env._("A signature is only valid with the statement of the power to bind."))

    @api.model_create_multi
    def create(self, vals_list):
        # refuse bad input before anything is written (the constraints check it again)
        partners = self.env["res.partner"].browse(
            [vals.get("partner_id") for vals in vals_list if vals.get("partner_id")]
        )
        for partner in partners:
            partner._coop_check_can_join()
            if partner.coop_membership_id.is_member:
                raise ValidationError(
                    self.env._(
                        "%s is already a member: a company can re-join only after its previous contract is terminated.",
                        partner.display_name,
                    )
                )
        # an application concluded or closed earlier in this transaction no longer counts as open (unique index)
        self.flush_model(["state"])
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.membership.application") or "/"
        applications = super().create(vals_list)
        applications.filtered(lambda a: a.acceptance == "pending")._schedule_review_activity()
        return applications

    def _schedule_review_activity(self):
        for application in self:
            application.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Review the application of a company outside BE/FR/DE/LU/NL"),
                user_id=(application.am_id or self.env.user).id,
            )

    # ------------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------------
    def action_send_contract(self):
        """Send the e-contract by e-mail (mail template with the contract PDF)."""
        self._check_transition("action_send_contract")
        template = self.env.ref("coop_24pm_membership.mail_template_application_contract")
        for application in self:
            if application.acceptance == "refused":
                raise UserError(self.env._("The application of %s was refused.", application.partner_id.display_name))
        for application in self:
            if self.env.context.get("install_mode"):
                # demo data loaded at install: no server to render the PDF's assets yet
                application.message_post(body=self.env._("E-contract sent (demo data)."))
                continue
            # SPEC 7.3: a tracked notice to all the agents (the application's Notices tab)
            application._coop_send_notice("contract", template.sudo())
        self.write({"state": "sent", "date_sent": fields.Date.context_today(self)})
        return True

    def action_sign(self, date_signed, signatory_name, signatory_capacity, has_power):
        """Record the signed contract: who signed, in which capacity, with the power to bind."""
        self._check_transition("action_sign")
        vals = self._coop_signature_vals(date_signed, signatory_name, signatory_capacity, has_power)
        date_signed = vals["date_signed"]
        for application in self.filtered(lambda a: a.date_sent and a.date_sent > date_signed):
            # a contract signed on paper before the suite sent it: it was sent by then
            application.date_sent = date_signed
        self.write(vals)
        for application in self:
            application.message_post(
                body=self.env._(
                    "Contract signed on %(date)s by %(name)s (%(capacity)s).",
                    date=format_date(self.env, date_signed),
                    name=vals["signatory_name"],
                    capacity=vals["signatory_capacity"],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_sign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership.sign.wizard",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Record the signed contract"),
            "context": {"default_application_id": self.id},
        }

    def _coop_is_accepted(self):
        """Whether the application is accepted, automatically (country) or by staff: only
        then is anything invoiced (issue 15)."""
        self.ensure_one()
        return self.acceptance in ("auto", "accepted")

    def action_accept(self):
        """Staff accept an application waiting for them; a signed one is concluded at once."""
        self._check_transition("action_accept")
        for application in self:
            if application.acceptance != "pending":
                raise UserError(self.env._("Only an application waiting for staff can be accepted."))
        self.write({"acceptance": "accepted"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self.filtered(lambda a: a.state == "signed").action_conclude()
        return True

    def action_accept_application(self):
        """The name the portal's staff flows and earlier code use."""
        return self.action_accept()

    def action_refuse(self, reason=None):
        """Staff refuse an application waiting for them: nothing was invoiced (issue 15),
        nothing is created; the company's agents are told why."""
        self._check_transition("action_refuse")
        for application in self:
            if application.acceptance != "pending":
                raise UserError(self.env._("Only an application waiting for staff can be refused."))
        reason = reason or (len(self) == 1 and self.refusal_reason) or False
        self.write({"acceptance": "refused", "refusal_reason": reason, "state": "refused"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._coop_on_refuse()
        self._coop_send_notice(
            "refusal", self.env.ref("coop_24pm_membership.mail_template_application_refused_request").sudo()
        )
        return True

    def action_refuse_application(self, reason=None):
        return self.action_refuse(reason)

    def _coop_on_refuse(self):
        """Called when staff refuse applications (other addons cancel what was prepared)."""
        return True

    def action_cancel(self):
        """The company withdraws its application before the conclusion."""
        self._coop_transit("action_cancel", "cancelled")
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------
    # conclusion: the membership exists from here (SPEC 2.1.4)
    # ------------------------------------------------------------------
    def _prepare_membership_vals(self):
        """Values of the membership this application concludes into (other addons add theirs)."""
        self.ensure_one()
        return {
            "application_id": self.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "regulation_id": self.regulation_id.id,
            "commitment": self.commitment,
            "date_application": self.date_application,
            "date_signed": self.date_signed,
            "am_id": self.am_id.id,
            # the membership exists from the conclusion: entered in the register below
            "state": "registered",
        }

    def action_conclude(self, date=None):
        """A signed and accepted application becomes a membership: its joining invoices are
        issued (never before, issue 15), then it is entered in the shareholders' register,
        which concludes the contract."""
        self._check_transition("action_conclude")
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        for application in self:
            if not application._coop_is_accepted():
                raise UserError(
                    self.env._(
                        "%s is located outside BE, FR, DE, LU and NL: staff must accept the application first.",
                        application.partner_id.display_name,
                    )
                )
        Membership = self.env["coop.membership"]
        for application in self:
            # a membership terminated earlier in this transaction no longer counts as open
            Membership.flush_model(["state"])
            membership = Membership.sudo().create(application._prepare_membership_vals())
            application.write({"state": "done", "membership_id": membership.id, "date_concluded": date})
            application._coop_move_documents_to(membership)
            if application.origin == "online":
                # online, the B share (and guarantee) are invoiced at acceptance; the register
                # entry reuses the invoice. Staff call for the money of a paper contract themselves.
                application._coop_join_invoice()
            membership._coop_enter_register(max(date, application.date_signed or date))
            application.message_post(
                body=self.env._("Concluded: membership %s entered in the register.", membership._get_html_link()),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _coop_bind_membership_xmlid(self, xmlid):
        """Data files (the demo): give the membership this application concluded into the
        external id ``xmlid`` ("module.name"), so that the data loaded after can refer to it."""
        self.ensure_one()
        if not self.membership_id:
            raise UserError(self.env._("%s is not concluded: it has no membership yet.", self.name))
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": self.membership_id, "noupdate": True}])
        return True

    def _coop_move_documents_to(self, membership):
        """The signed contract (and the other files of the application) are also the
        membership's documents, and its notices the membership's."""
        self.ensure_one()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", False)])
        )
        for attachment in attachments:
            attachment.copy({"res_model": membership._name, "res_id": membership.id})
        # the notices of the journey show on the membership's Notices tab too
        self.notice_ids.sudo().write({"membership_id": membership.id})

    def action_view_membership(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership",
            "view_mode": "form",
            "res_id": self.membership_id.id,
        }
