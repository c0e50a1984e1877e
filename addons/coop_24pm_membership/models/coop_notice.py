from odoo import api, fields, models

#: mail_tracking states of a recipient's copy that reached its server (SPEC 7.3)
DELIVERED_STATES = ("sent", "delivered", "opened")
#: states of a copy that will never be read: refused, bounced or never sent
FAILED_STATES = ("error", "rejected", "spam", "bounced", "soft-bounced")


class CoopNotice(models.Model):
    """SPEC 7.3: a message sent to a member, with its delivery.

    Every notice and e-mail of the suite to a member goes through
    ``coop.membership._coop_send_notice``, which addresses it with
    ``res.partner._coop_recipients`` and records it here. A notice is *delivered*
    once one recipient's server accepted it (OCA ``mail_tracking``); without any
    recipient, or when every copy bounced, it is *not delivered*: the member's PM gets
    an activity and a deadline that the notice starts (48 hours, 10 days, one month)
    does not run until a notice is delivered, and then runs from its delivery.
    """

    _name = "coop.notice"
    _description = "Notice to a member and its delivery"
    _order = "date_sent desc, id desc"

    membership_id = fields.Many2one("coop.membership", index="btree_not_null", ondelete="cascade")
    application_id = fields.Many2one(
        "coop.membership.application",
        index="btree_not_null",
        ondelete="cascade",
        help="A notice of the journey before the conclusion (issue 15); the membership shows it too once concluded.",
    )
    partner_id = fields.Many2one("res.partner", compute="_compute_holder_fields", store=True, index=True)
    company_id = fields.Many2one("res.company", compute="_compute_holder_fields", store=True)
    kind = fields.Selection(
        [
            ("journey", "Joining journey"),
            ("contract", "E-contract"),
            ("refusal", "Application refused"),
            ("formal_notice", "Formal notice"),
            ("suspension", "Suspension"),
            ("notice", "Notice of termination"),
            ("termination", "Termination"),
            ("regulation_change", "Regulation change"),
            ("plan_change", "Plan change"),
            ("rate_change", "Rate change"),
            ("mandate_notice", "Rejected debits notice"),
            ("finance", "Finance"),
            ("projects", "Projects"),
            ("agents", "Agents and mandates"),
        ],
        required=True,
    )
    right = fields.Selection(
        [("all", "All agents"), ("finance", "Finance right"), ("projects", "Projects right")],
        "Addressed to",
        required=True,
        default="all",
    )
    name = fields.Char("Subject")
    res_model = fields.Char("Document model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    message_id = fields.Many2one("mail.message", "Message", readonly=True, index="btree_not_null", ondelete="set null")
    recipient_ids = fields.Many2many("res.partner", string="Recipients", readonly=True)
    mail_tracking_ids = fields.One2many(related="message_id.mail_tracking_ids", string="Deliveries")
    state = fields.Selection(
        [
            ("no_recipient", "No recipient"),
            ("outgoing", "Outgoing"),
            ("delivered", "Delivered"),
            ("failed", "Not delivered"),
        ],
        "Delivery",
        required=True,
        readonly=True,
        default="outgoing",
    )
    date_sent = fields.Datetime("Sent on", readonly=True, default=fields.Datetime.now)
    date_delivered = fields.Datetime("Delivered on", readonly=True)

    _holder_set = models.Constraint(
        "CHECK (membership_id IS NOT NULL OR application_id IS NOT NULL)",
        "A notice is sent about a membership or an application.",
    )

    @api.depends("membership_id.partner_id", "application_id.partner_id")
    def _compute_holder_fields(self):
        for notice in self:
            holder = notice._coop_holder()
            notice.partner_id = holder.partner_id
            notice.company_id = holder.company_id

    def _coop_holder(self):
        """The membership the notice is about, else the application (before its conclusion)."""
        self.ensure_one()
        return (self.membership_id or self.application_id).sudo()

    def _coop_update_delivery(self):
        """Read the delivery of each notice from ``mail_tracking`` and act on a change."""
        for notice in self.filtered(lambda n: n.state != "no_recipient" and n.message_id):
            # the member's copies only (staff following the record get one too)
            emails = set(filter(None, notice.recipient_ids.mapped("email_normalized")))
            trackings = notice.message_id.sudo().mail_tracking_ids.filtered(
                lambda t, n=notice, e=emails: t.partner_id in n.recipient_ids or t.recipient_address in e
            )
            delivered = trackings.filtered(lambda t: t.state in DELIVERED_STATES)
            failed = trackings.filtered(lambda t: t.state in FAILED_STATES)
            if delivered:
                times = [
                    event.time
                    for event in delivered.tracking_event_ids
                    if event.event_type in ("sent", "delivered") and event.time
                ] or [t.time for t in delivered if t.time]
                vals = {"state": "delivered", "date_delivered": min(times) if times else fields.Datetime.now()}
            elif trackings and failed == trackings:
                vals = {"state": "failed", "date_delivered": False}
            else:
                vals = {"state": "outgoing", "date_delivered": False}
            if vals["state"] == notice.state and vals["date_delivered"] == notice.date_delivered:
                continue
            notice.write(vals)
            if notice.state == "failed":
                notice._coop_warn_staff()
            notice._coop_delivery_changed()

    def _coop_delivery_changed(self):
        """Let the document the notice is about start (or stop) its deadline."""
        for notice in self:
            document = notice._coop_document()
            if hasattr(document, "_coop_notice_delivery_changed"):
                document._coop_notice_delivery_changed(notice)

    def _coop_document(self):
        self.ensure_one()
        if self.res_model and self.res_id:
            return self.env[self.res_model].sudo().browse(self.res_id).exists()
        return self._coop_holder()

    def _coop_warn_staff(self):
        """A notice that reached nobody: an activity for the member's PM (else its AM, else
        the staff member who sent it)."""
        for notice in self:
            membership = notice._coop_holder()
            user = (
                membership._coop_responsible_user(self.env.user)
                if notice.membership_id
                else membership.am_id or self.env.user
            )
            if user.share:
                user = self.env.ref("base.user_admin")
            user_env = membership._coop_user_env(user)
            if notice.state == "no_recipient":
                summary = user_env._("Notice not sent: nobody to receive it")
                note = user_env._(
                    "%(notice)s could not be sent: %(company)s has no agent with an e-mail address for it and no "
                    "e-mail address of its own. Give an agent the right and an e-mail address, then send it again.",
                    notice=notice.name or notice.kind,
                    company=membership.partner_id.display_name,
                )
            else:
                summary = user_env._("Notice not delivered: every copy bounced")
                note = user_env._(
                    "%(notice)s was not delivered to %(company)s: check its agents' e-mail addresses and send it "
                    "again.",
                    notice=notice.name or notice.kind,
                    company=membership.partner_id.display_name,
                )
            membership.activity_schedule("mail.mail_activity_data_todo", user_id=user.id, summary=summary, note=note)
            membership.message_post(body=note, subtype_xmlid="mail.mt_note")

    @api.model
    def _coop_update_from_trackings(self, trackings):
        """Called when ``mail_tracking`` changes the state of a copy."""
        messages = trackings.mail_message_id
        if messages:
            self.sudo().search([("message_id", "in", messages.ids)])._coop_update_delivery()
