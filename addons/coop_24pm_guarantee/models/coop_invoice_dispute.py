from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_amount, format_date


class CoopInvoiceDispute(models.Model):
    """A member's dispute of an invoice (art. 6.3; SPEC 4.5).

    While a dispute is open, its amount is excluded from direct debits, late fees and
    guarantee draws (``account.move._coop_get_undisputed_residual``).
    """

    _name = "coop.invoice.dispute"
    _description = "Invoice dispute"
    _inherit = ["mail.thread", "mail.activity.mixin", "coop.member.invoice.mixin"]
    _order = "date desc, id desc"

    name = fields.Char("Reference", readonly=True, copy=False, default="/")
    invoice_ref = fields.Char("Invoice reference given", help="The exact reference stated by the member.")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    invoice_amount = fields.Monetary(related="invoice_id.amount_total", string="Invoice total")
    date = fields.Date("Filed on", required=True, default=fields.Date.context_today, readonly=True)
    amount = fields.Monetary("Disputed amount", required=True, tracking=True)
    subject = fields.Text("Object", required=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Supporting documents")
    date_undisputed_payment = fields.Date("Payment date of the undisputed part")
    filed_by_id = fields.Many2one("res.users", "Filed by", default=lambda self: self.env.user, readonly=True)
    channel = fields.Selection([("portal", "Portal form"), ("letter", "Registered letter")], default="letter")
    state = fields.Selection(
        [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    answer = fields.Text("Reasoned answer", tracking=True)
    date_answer = fields.Date("Answered on", readonly=True)

    _amount_positive = models.Constraint("CHECK(amount > 0)", "The disputed amount must be positive.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # art. 4.6: an agent files a dispute with the finance right only
            filer = self.env["res.users"].browse(vals.get("filed_by_id")) or self.env.user
            filer.partner_id._coop_check_right("finance", self.env["coop.membership"]._coop_no_finance_message())
            if (vals.get("amount") or 0.0) <= 0:
                raise ValidationError(self.env._("The disputed amount must be positive."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("coop.invoice.dispute") or "/"
        disputes = super().create(vals_list)
        disputes._check_dispute_allowed()
        disputes._notify_staff()
        return disputes

    def _check_dispute_allowed(self):
        """Art. 6.3 and 5.1: within 10 days of the invoice, at most its amount, and an
        invoice paid even partly is accepted."""
        for dispute in self:
            invoice = dispute.invoice_id
            if invoice.move_type != "out_invoice" or invoice.state != "posted":
                raise ValidationError(self.env._("Only a posted customer invoice can be disputed."))
            regulation = dispute.membership_id.regulation_id or self.env["coop.regulation"]._get_current(
                invoice.invoice_date
            )
            days = regulation.dispute_days
            deadline = invoice.invoice_date + timedelta(days=days)
            if dispute.date > deadline:
                raise ValidationError(
                    self.env._(
                        "Invoice %(inv)s is dated %(date)s: it could be disputed until %(deadline)s (%(days)s days, "
                        "art. 6.3). It is deemed accepted.",
                        inv=invoice.name,
                        date=format_date(self.env, invoice.invoice_date),
                        deadline=format_date(self.env, deadline),
                        days=days,
                    )
                )
            if invoice.payment_state in ("paid", "in_payment", "partial"):
                raise ValidationError(
                    self.env._("Invoice %s has been paid, even partly: it is deemed accepted (art. 5.1).", invoice.name)
                )
            rounding = invoice.currency_id.rounding
            open_amount = sum(invoice.coop_dispute_ids.filtered(lambda d: d.state == "open").mapped("amount"))
            if float_compare(open_amount, invoice.amount_total, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "The disputed amount cannot exceed the invoice amount (%(amount)s).",
                        amount=format_amount(self.env, invoice.amount_total, invoice.currency_id),
                    )
                )

    def _notify_staff(self):
        for dispute in self:
            membership = dispute.membership_id
            user = membership._coop_responsible_user(self.env.user)
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=dispute._coop_user_env(user)._(
                    "Answer the dispute of invoice %s with reasons", dispute.invoice_id.name
                ),
            )

    def _answer(self, state, answer):
        if self.filtered(lambda d: d.state != "open"):
            raise UserError(self.env._("Only an open dispute can be answered."))
        if not (answer or "").strip():
            raise UserError(self.env._("Give the reasons of the answer (art. 6.3)."))
        self.write({"state": state, "answer": answer, "date_answer": fields.Date.context_today(self)})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for dispute in self:
            # SPEC 7.3: disputes are a finance matter
            dispute.membership_id._coop_send_notice(
                "finance",
                right="finance",
                record=dispute,
                subject=self.env._("Your dispute of invoice %s", dispute.invoice_id.name),
                body=answer,
            )
        return True

    @api.depends("invoice_id.name")
    def _compute_display_name(self):
        for dispute in self:
            dispute.display_name = self.env._("Dispute of %s", dispute.invoice_id.name or "-")

    def _coop_dispute_persists(self):
        """Art. 6.3: the dispute persists when 24PM's answer did not settle it."""
        self.ensure_one()
        return self.state == "rejected"

    def _coop_dispute_notice_given(self):
        """The rejected dispute ends with the contract: nothing more to do on it."""

    def action_accept(self, answer=None):
        """The dispute is founded: staff issues the credit note of the disputed amount."""
        return self._answer("accepted", answer or (len(self) == 1 and self.answer))

    def action_reject(self, answer=None):
        """The dispute is not founded: the disputed amount is due again."""
        return self._answer("rejected", answer or (len(self) == 1 and self.answer))
