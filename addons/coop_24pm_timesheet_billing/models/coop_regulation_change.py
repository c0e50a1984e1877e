from markupsafe import Markup

from odoo import api, fields, models


class CoopRegulationChange(models.Model):
    """Art. 11.1: a contest of a new regulation suspends the services concerned for the
    member until the contest ends (the change withdrawn, or applied after agreement). Time
    pricing reads the contested changes (``coop.group.rate._get_pricing_tables``), hence the
    cache mixin."""

    _name = "coop.regulation.change"
    _inherit = ["coop.regulation.change", "coop.pricing.source.mixin"]

    product_ids = fields.Many2many(
        "product.product",
        "coop_regulation_change_product_rel",
        "change_id",
        "product_id",
        string="Services concerned",
        domain=[("type", "=", "service")],
        default=lambda self: self._coop_default_service_products(),
        help="Art. 11.1: a contest suspends these services for the member until it ends "
        "(by default all the cooperative's services).",
    )

    @api.model
    def _coop_default_service_products(self):
        """All the cooperative's services: those priced by a group rate, and the work service."""
        products = self.env["coop.group.rate"].sudo().search([("company_id", "in", self.env.companies.ids)]).product_id
        work = self.env.ref("coop_24pm_timesheet_billing.product_coop_service_work", raise_if_not_found=False)
        return products | (work or products.browse())

    @api.model
    def _coop_notify(self, memberships, new_regulation):
        """The services the staff said the regulation concerns (the notify wizard's)."""
        changes = super()._coop_notify(memberships, new_regulation)
        product_ids = self.env.context.get("coop_regulation_product_ids")
        if product_ids is not None:
            changes.product_ids = [fields.Command.set(product_ids)]
        return changes

    def _coop_contest_note(self, user_env, reason):
        note = super()._coop_contest_note(user_env, reason)
        if not self.product_ids:
            return note
        return Markup("<p>%s</p><p>%s</p>") % (
            note or "",
            user_env._(
                "Meanwhile these services are suspended for the member (art. 11.1): %s",
                ", ".join(self.product_ids.mapped("display_name")),
            ),
        )
