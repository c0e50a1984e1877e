from odoo import fields, models


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

    def _coop_send_notice(self, kind, template=None, right=None, record=None, subject=None, body=None, about=None):
        """Send a message of ``kind`` to the people who act for each company (SPEC 7.3).

        The recipients are ``res.partner._coop_recipients(right)``: a ``template`` (on the
        membership or application, or on ``record``) addresses them through its
        ``coop_partner_to_*`` fields; a plain ``body`` is posted to them. Without any
        recipient nothing is posted to the member: the notice is recorded as *no
        recipient* and the PM gets an activity. Returns the ``coop.notice`` records.

        The notice is about ``record`` (posted on it), else ``about`` (a record that is no
        mail thread, the message posted on the membership), else the membership: that
        document's ``_coop_notice_delivery_changed`` hears of its delivery, also when the
        e-mail left at once, before this method returns.
        """
        Notice = self.env["coop.notice"].sudo()
        notices = Notice
        holder = self._coop_notice_holder_field()
        for membership in self:
            document = record or membership
            subject_record = record or about
            recipients = membership.partner_id._coop_recipients(right)
            vals = {
                holder: membership.id,
                "kind": kind,
                "right": right or "all",
                "name": subject or (template and template.sudo().name) or kind,
                "res_model": subject_record._name if subject_record else False,
                "res_id": subject_record.id if subject_record else False,
            }
            if not recipients:
                notice = Notice.create({**vals, "state": "no_recipient"})
                notice._coop_warn_staff()
                notices |= notice
                continue
            # the agent whose own step on the portal sends the notice is one of its recipients:
            # Odoo leaves the author of a message out of its e-mails unless told otherwise
            if template:
                # the e-mails are kept (not auto-deleted): they are the evidence of the notice
                message = document.message_post_with_source(
                    template.sudo(), subtype_xmlid="mail.mt_comment", auto_delete=False, notify_author=True
                )
            else:
                message = document.message_post(
                    body=body,
                    subject=subject,
                    partner_ids=recipients.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    mail_auto_delete=False,
                    notify_author=True,
                )
            message = message[:1]
            vals["name"] = message.subject or vals["name"]
            notice = Notice.create({**vals, "message_id": message.id, "recipient_ids": message.partner_ids.ids})
            # an e-mail sent at once (before the notice existed) has its delivery already
            notice._coop_update_delivery()
            notices |= notice
        return notices

    def _coop_last_notice(self, kind, document=None):
        """The latest notice of ``kind`` about ``document`` (this record by default)."""
        self.ensure_one()
        domain = [(self._coop_notice_holder_field(), "=", self.id), ("kind", "=", kind)]
        if document:
            domain += [("res_model", "=", document._name), ("res_id", "=", document.id)]
        return self.env["coop.notice"].sudo().search(domain, order="date_sent desc, id desc", limit=1)
