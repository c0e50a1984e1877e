from odoo import api, models


class CoopPricingSourceMixin(models.AbstractModel):
    """What pricing time reads (group rates, rate changes notified to members, objections, contested
    regulation changes, art. 2, 5.3 and 11.1) is cached across transactions (``coop.group.rate._get_pricing_tables``,
    an ``ormcache``): any change of these records clears it. A change rolled back clears
    it again (Odoo's registry resets the caches a failed transaction invalidated), and
    the other workers learn of it through the registry's signalling, as for Odoo's own
    cached settings."""

    _name = "coop.pricing.source.mixin"
    _description = "Read by the pricing of time (cached)"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
