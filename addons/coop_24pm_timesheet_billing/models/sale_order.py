from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        """Art. 8.4: a fixed-price package is new work for the member: a member company
        that may not be given new work (SPEC 7.4: suspended, terminated) cannot order one.
        A customer without any membership buys it as any Odoo sale."""
        for order in self:
            if not order.order_line.filtered(lambda line: line._coop_is_package()):
                continue
            membership = order.partner_id.commercial_partner_id.coop_membership_id
            if not membership:
                continue
            refusal = membership._coop_request_refusal(order.date_order)
            if refusal:
                raise UserError(self.env._("Art. 8.4: %s", refusal))
        return super()._action_confirm()
