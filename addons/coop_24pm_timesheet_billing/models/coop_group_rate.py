from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CoopGroupRate(models.Model):
    """Art. 2: the group rate of a service for a collaborator category, without margin."""

    _name = "coop.group.rate"
    _description = "Group rate"
    _order = "product_id, category_id, date_from desc"

    product_id = fields.Many2one(
        "product.product", "Service", required=True, index=True, domain=[("type", "=", "service")]
    )
    category_id = fields.Many2one("coop.collaborator.category", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    rate = fields.Monetary("Hourly group rate", required=True)
    date_from = fields.Date("Valid from", required=True)
    date_to = fields.Date("Valid until")

    _rate_positive = models.Constraint("CHECK(rate >= 0)", "A group rate cannot be negative.")

    @api.constrains("product_id", "category_id", "date_from", "date_to", "company_id")
    def _check_no_overlap(self):
        for rate in self:
            if rate.date_to and rate.date_to < rate.date_from:
                raise ValidationError(self.env._("A group rate cannot end before it starts."))
            others = self.search(
                [
                    ("id", "!=", rate.id),
                    ("product_id", "=", rate.product_id.id),
                    ("category_id", "=", rate.category_id.id),
                    ("company_id", "=", rate.company_id.id),
                ]
            )
            for other in others:
                if (not other.date_to or other.date_to >= rate.date_from) and (
                    not rate.date_to or rate.date_to >= other.date_from
                ):
                    raise ValidationError(
                        self.env._(
                            "The group rate of %(service)s for %(category)s overlaps another period.",
                            service=rate.product_id.display_name,
                            category=rate.category_id.name,
                        )
                    )

    @api.model
    def _get_rate_table(self, products, categories):
        """All rates of these services and categories in one query:
        {(product_id, category_id): [(date_from, date_to, rate), ...]}."""
        table = {}
        rows = self.search_fetch(
            [
                ("product_id", "in", products.ids),
                ("category_id", "in", categories.ids),
                ("company_id", "in", self.env.companies.ids),
            ],
            ["product_id", "category_id", "date_from", "date_to", "rate"],
        )
        for row in rows:
            table.setdefault((row.product_id.id, row.category_id.id), []).append((row.date_from, row.date_to, row.rate))
        return table

    @api.model
    def _lookup(self, table, product, category, on_date):
        for date_from, date_to, rate in table.get((product.id, category.id), ()):
            if date_from <= on_date and (not date_to or on_date <= date_to):
                return rate
        return None
