from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class CoopGuaranteeRefund(models.Model):
    """The member's request for the refund of its guarantee balance after the contract
    ends (art. 7.3; SPEC 4.1, 7.4): 24PM refunds within the regulation's delay (12 or 3
    months) from the request, or from the end of the contract if asked before it.

    Refunding posts a ``refund`` guarantee movement (a credit note on the deposits
    account, put in the company's SEPA credit transfer order): the request keeps it. One
    request per membership (issue 21: the refund is no longer fields of the member)."""

    _name = "coop.guarantee.refund"
    _description = "Guarantee refund"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_requested desc, id desc"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True, string="Member")
    guarantee_id = fields.Many2one(related="membership_id.guarantee_id", store=True, index="btree_not_null")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("requested", "Refund requested"), ("refunded", "Refunded")],
        default="requested",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_requested = fields.Date("Refund requested on", required=True, readonly=True)
    date_deadline = fields.Date("Refund due by", readonly=True, tracking=True)
    date_refunded = fields.Date("Refunded on", readonly=True, copy=False)
    requested_by_id = fields.Many2one("res.users", "Requested by", readonly=True)
    amount = fields.Monetary("Amount refunded", readonly=True, copy=False)
    guarantee_move_id = fields.Many2one(
        "coop.guarantee.move", "Refund movement", readonly=True, copy=False, index="btree_not_null"
    )
    move_id = fields.Many2one(related="guarantee_move_id.move_id", string="Credit note")
    payment_state = fields.Selection(related="move_id.payment_state", string="Payment")

    _membership_uniq = models.Constraint("UNIQUE(membership_id)", "The refund of this guarantee was already requested.")

    @api.depends("partner_id")
    def _compute_display_name(self):
        for refund in self:
            refund.display_name = self.env._("Guarantee refund - %s", refund.partner_id.display_name or "-")

    @api.model
    def _coop_request(self, memberships):
        """Art. 7.3: after the contract ends, the member asks for the balance; 24PM refunds
        within the regulation's delay (12 or 3 months). Art. 4.6: an agent asks with the
        finance right only."""
        self.env.user.partner_id._coop_check_right("finance", memberships._coop_no_finance_message())
        refunds = self.browse()
        for membership in memberships:
            if membership.state != "terminated":
                raise UserError(self.env._("The guarantee is refunded after the contract has ended."))
            if membership.guarantee_id.refund_id:
                raise UserError(self.env._("The refund of this guarantee was already requested."))
            today = fields.Date.context_today(self)
            start = max(today, membership.termination_id.date_terminated or today)
            refund = self.create(
                {
                    "membership_id": membership.id,
                    "date_requested": today,
                    "date_deadline": start + relativedelta(months=membership.regulation_id.guarantee_refund_months),
                    "requested_by_id": self.env.user.id,
                }
            )
            user = membership._coop_responsible_user(self.env.user)
            refund.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=refund.date_deadline,
                user_id=user.id,
                summary=membership._coop_user_env(user)._("Refund the guarantee balance"),
            )
            refunds |= refund
        return refunds

    def action_refund(self):
        """Refund the balance held (a ``refund`` movement, paid by SEPA credit transfer)."""
        for refund in self:
            if refund.state != "requested":
                raise UserError(self.env._("The member has not requested the refund of the guarantee."))
            membership = refund.membership_id
            balance = membership._get_guarantee_paid()
            vals = {"state": "refunded", "date_refunded": fields.Date.context_today(self), "amount": 0.0}
            if float_compare(balance, 0.0, precision_rounding=membership.currency_id.rounding) > 0:
                gmove = self.env["coop.guarantee.move"].create(
                    {
                        "membership_id": membership.id,
                        "operation": "refund",
                        "amount": balance,
                    }
                )
                gmove.action_post()
                vals.update(guarantee_move_id=gmove.id, amount=balance)
            refund.write(vals)
            refund.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_view_move(self):
        self.ensure_one()
        return self.guarantee_move_id.action_view_move()
