from datetime import timedelta

from odoo import api, fields, models

#: SPEC 7.3: the recipients of each template of the suite (``partner_to``), by right
TEMPLATE_RECIPIENTS = {
    "coop_24pm_membership.mail_template_membership_contract": "object.coop_partner_to_all",
    "coop_24pm_membership.mail_template_membership_formal_notice": "object.coop_partner_to_all",
    "coop_24pm_membership.mail_template_regulation_change": "object.membership_id.coop_partner_to_all",
    "coop_24pm_membership.mail_template_join_reminder": "object.join_partner_to",
    "coop_24pm_membership.mail_template_join_vat_reminder": "object.join_partner_to",
    "coop_24pm_membership.mail_template_application_refused": "object.join_partner_to",
    "coop_24pm_membership.mail_template_application_contract": "object.coop_partner_to_all",
    "coop_24pm_membership.mail_template_application_refused_request": "object.coop_partner_to_all",
    "coop_24pm_membership.mail_template_join_applied": "object.join_partner_to",
    "coop_24pm_membership.mail_template_join_signed": "object.join_partner_to",
    "coop_24pm_membership.mail_template_join_invoices": "object.coop_partner_to_finance",
    "coop_24pm_membership.mail_template_join_active": "object.join_partner_to",
    "coop_24pm_guarantee.mail_template_join_mandate": "object.coop_partner_to_finance",
    "coop_24pm_guarantee.mail_template_join_mandate_confirmed": "object.coop_partner_to_finance",
    "coop_24pm_plans.mail_template_plan_change_confirm": "object.membership_id.coop_partner_to_all",
}


class CoopNoticeMixin(models.AbstractModel):
    """SPEC 7.3: every message to a company, member or applicant, leaves through
    ``_coop_send_notice`` and is recorded as a ``coop.notice`` with its delivery."""

    _name = "coop.notice.mixin"
    _description = "Sends tracked notices to a company's agents"

    notice_undelivered_count = fields.Integer(compute="_compute_notice_undelivered_count")

    def _coop_notice_holder_field(self):
        """The field of ``coop.notice`` that points at this model."""
        raise NotImplementedError

    def _compute_notice_undelivered_count(self):
        holder = self._coop_notice_holder_field()
        groups = self.env["coop.notice"]._read_group(
            [(holder, "in", self.ids), ("state", "in", ("no_recipient", "failed"))],
            [holder],
            ["__count"],
        )
        counts = {record.id: count for record, count in groups}
        for record in self:
            record.notice_undelivered_count = counts.get(record.id, 0)

    def _coop_member_env(self):
        """The environment in the company's language, to write what is sent to it."""
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang or self.env.lang).env

    def _coop_send_notice(self, kind, template=None, right=None, record=None, subject=None, body=None):
        """Send a message of ``kind`` to the people who act for each company (SPEC 7.3).

        The recipients are ``res.partner._coop_recipients(right)``: a ``template`` (on the
        membership or application, or on ``record``) addresses them through its
        ``coop_partner_to_*`` fields; a plain ``body`` is posted to them. Without any
        recipient nothing is posted to the member: the notice is recorded as *no
        recipient* and the PM gets an activity. Returns the ``coop.notice`` records.
        """
        Notice = self.env["coop.notice"].sudo()
        notices = Notice
        holder = self._coop_notice_holder_field()
        for membership in self:
            document = record or membership
            recipients = membership.partner_id._coop_recipients(right)
            vals = {
                holder: membership.id,
                "kind": kind,
                "right": right or "all",
                "name": subject or (template and template.sudo().name) or kind,
                "res_model": document._name if record else False,
                "res_id": document.id if record else False,
            }
            if not recipients:
                notice = Notice.create({**vals, "state": "no_recipient"})
                notice._coop_warn_staff()
                notices |= notice
                continue
            if template:
                # the e-mails are kept (not auto-deleted): they are the evidence of the notice
                message = document.message_post_with_source(
                    template.sudo(), subtype_xmlid="mail.mt_comment", auto_delete=False
                )
            else:
                message = document.message_post(
                    body=body,
                    subject=subject,
                    partner_ids=recipients.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    mail_auto_delete=False,
                )
            message = message[:1]
            vals["name"] = message.subject or vals["name"]
            notices |= Notice.create({**vals, "message_id": message.id, "recipient_ids": message.partner_ids.ids})
        return notices

    def _coop_last_notice(self, kind, document=None):
        """The latest notice of ``kind`` about ``document`` (this record by default)."""
        self.ensure_one()
        domain = [(self._coop_notice_holder_field(), "=", self.id), ("kind", "=", kind)]
        if document:
            domain += [("res_model", "=", document._name), ("res_id", "=", document.id)]
        return self.env["coop.notice"].sudo().search(domain, order="date_sent desc, id desc", limit=1)


class CoopMembershipNotice(models.Model):
    """SPEC 7.3: every message to a member leaves through ``_coop_send_notice``."""

    _name = "coop.membership"
    _inherit = ["coop.membership", "coop.notice.mixin"]

    notice_ids = fields.One2many("coop.notice", "membership_id", "Notices")

    def _coop_notice_holder_field(self):
        return "membership_id"

    @api.model
    def _coop_sync_template_recipients(self):
        """Address the suite's templates (``noupdate``) by right on databases installed
        before SPEC 7.3; each addon with templates calls it at its update."""
        for xmlid, expression in TEMPLATE_RECIPIENTS.items():
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if template and template.model not in self.env:
                continue  # its addon is loaded later and calls this again
            partner_to = "{{ " + expression + " }}"
            if template and (template.partner_to != partner_to or template.use_default_to):
                template.sudo().write({"partner_to": partner_to, "use_default_to": False})

    def _coop_notice_delivery_changed(self, notice):
        """The deadlines a membership's notices start run from their delivery (SPEC 7.3):
        the 48 hours of a formal notice (art. 4.3) and the month of 24PM's notice of
        termination (art. 4.4.1)."""
        self.ensure_one()
        delivered = notice.state == "delivered" and notice.date_delivered
        if notice.kind == "formal_notice" and self.formal_notice_reason:
            self.date_formal_notice = delivered or False
        elif notice.kind == "notice" and self.state == "notice" and self.notice_given_by == "coop":
            if delivered:
                self.write({"date_notice": delivered.date(), "date_end": self._coop_notice_end_date(delivered.date())})
            else:
                self.date_end = False

    def _coop_formal_notice_expired(self, now):
        """Art. 4.3: the 48 hours after the formal notice was delivered are over."""
        self.ensure_one()
        return bool(self.date_formal_notice) and (
            self.date_formal_notice + timedelta(hours=self.regulation_id.formal_notice_hours) <= now
        )


class CoopMembershipApplicationNotice(models.Model):
    """SPEC 7.3 for the journey before the conclusion (issue 15): the application's
    e-mails are notices too, their delivery tracked; the membership shows them once
    concluded."""

    _name = "coop.membership.application"
    _inherit = ["coop.membership.application", "coop.notice.mixin"]

    notice_ids = fields.One2many("coop.notice", "application_id", "Notices")

    def _coop_notice_holder_field(self):
        return "application_id"
