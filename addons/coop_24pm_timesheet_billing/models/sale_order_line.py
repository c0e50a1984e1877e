from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _coop_is_package(self):
        """Art. 8.4 (SPEC 5.1, FAQ "forfaits"): a fixed-price package for a turnkey solution
        is a sales order line of a service invoiced on its milestones (``sale_project``'s
        policy ``delivered_milestones``): a fixed price and a scope, invoiced as its
        milestones are accepted, never from the time spent."""
        return bool(self) and all(line.qty_delivered_method == "milestones" for line in self)

    def _timesheet_create_project_prepare_values(self):
        """The project of a member's package is a member project: time is logged on it
        like any other work of the member (for cost and margin), and never billed."""
        values = super()._timesheet_create_project_prepare_values()
        membership = self.order_id.partner_id.commercial_partner_id.coop_membership_id
        if membership:
            values["coop_membership_id"] = membership.id
            service = self.env.ref("coop_24pm_timesheet_billing.product_coop_service_work", raise_if_not_found=False)
            if service:
                # the time is valued at the member's rates, for the margin of the package
                values.setdefault("coop_product_id", service.id)
        return values
