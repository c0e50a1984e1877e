from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, ormcache


class CoopGroupRate(models.Model):
    """Art. 2: the group rate of a service for a collaborator category, without margin."""

    _name = "coop.group.rate"
    _inherit = ["coop.pricing.source.mixin"]
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
        return self._get_pricing_tables(products, categories)[0]

    @api.model
    def _get_pricing_tables(self, products, categories, memberships=None):
        """What pricing time needs, in one query:

        * the rate table of these services and categories (see ``_get_rate_table``);
        * the services ``memberships`` suspended by an objection to a new rate (art. 5.3)
          or by a contest of a new regulation (art. 11.1), read with ``_coop_suspension``;
        * the old rates they keep until 15 days after their notice of a new rate was
          delivered (SPEC 7.3), as ``coop.rate.change.member._coop_rate_holds`` returns them.

        Plain SQL on the indexed columns: the model's order (by the names of the services)
        would join two tables for nothing, the periods of one service and category do not
        overlap."""
        if not (products and categories) and not memberships:
            return {}, {}, {}
        return self._coop_pricing_tables_cached(
            tuple(sorted(products.ids)),
            tuple(sorted(categories.ids)),
            tuple(sorted(memberships.ids)) if memberships else (),
            tuple(sorted(self.env.companies.ids)),
        )

    @api.model
    @ormcache("product_ids", "category_ids", "membership_ids", "company_ids")
    def _coop_pricing_tables_cached(self, product_ids, category_ids, membership_ids, company_ids):
        """``_get_pricing_tables`` read once per key and kept across transactions (issue 17,
        B1): a timesheet entry then costs no query for its rates. Any change of what is
        read clears it (``coop.pricing.source.mixin``). The values are shared: read them,
        never change them."""
        table, suspended, holds = {}, {}, {}
        self.env["coop.group.rate"].flush_model(
            ["product_id", "category_id", "company_id", "date_from", "date_to", "rate"]
        )
        self.env["coop.rate.objection"].flush_model(["membership_id", "product_id", "category_id", "active"])
        self.env["coop.regulation.change"].flush_model(["membership_id", "state", "date_contested", "product_ids"])
        self.env["coop.rate.change.member"].flush_model(["membership_id", "change_id", "date_effective"])
        self.env["coop.rate.change"].flush_model(["state", "date_effective", "product_id", "category_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'rate', product_id, category_id, date_from, date_to, rate, NULL::integer
                  FROM coop_group_rate
                 WHERE product_id = ANY(%(products)s) AND category_id = ANY(%(categories)s)
                   AND company_id = ANY(%(companies)s)
                 UNION ALL
                SELECT 'objection', product_id, category_id, NULL, NULL, NULL, membership_id
                  FROM coop_rate_objection
                 WHERE active AND membership_id = ANY(%(memberships)s)
                 UNION ALL
                SELECT 'contest', rel.product_id, NULL, change.date_contested, NULL, NULL, change.membership_id
                  FROM coop_regulation_change change
                  JOIN coop_regulation_change_product_rel rel ON rel.change_id = change.id
                 WHERE change.state = 'contested' AND change.membership_id = ANY(%(memberships)s)
                 UNION ALL
                SELECT 'hold', change.product_id, change.category_id, change.date_effective, member.date_effective,
                       NULL, member.membership_id
                  FROM coop_rate_change_member member
                  JOIN coop_rate_change change ON change.id = member.change_id
                 WHERE change.state = 'notified' AND member.membership_id = ANY(%(memberships)s)
                   AND (member.date_effective IS NULL OR member.date_effective > change.date_effective)
                """,
                products=list(product_ids),
                categories=list(category_ids),
                companies=list(company_ids),
                memberships=list(membership_ids),
            )
        )
        for kind, product_id, category_id, date_from, date_to, rate, membership_id in rows:
            if kind == "objection":
                suspended[(membership_id, product_id, category_id)] = None
            elif kind == "contest":
                # every category; from the day of the contest (the work before stays billable)
                key = (membership_id, product_id, None)
                suspended[key] = min(filter(None, (suspended.get(key), date_from)), default=date_from)
            elif kind == "hold":
                holds.setdefault((membership_id, product_id, category_id), []).append((date_from, date_to))
            else:
                table.setdefault((product_id, category_id), []).append((date_from, date_to, rate))
        return table, suspended, holds

    @api.model
    def _coop_suspension(self, suspended, membership, product, category, on_date):
        """Whether the services of ``product`` (by collaborators of ``category``; none: any)
        are suspended for ``membership`` on ``on_date``, in ``suspended`` of
        ``_get_pricing_tables``: ``"objection"`` (art. 5.3), ``"contest"`` (art. 11.1) or False."""
        if category and (membership.id, product.id, category.id) in suspended:
            return "objection"
        key = (membership.id, product.id, None)
        if key in suspended and (not on_date or not suspended[key] or on_date >= suspended[key]):
            return "contest"
        return False

    @api.model
    def _lookup(self, table, product, category, on_date):
        for date_from, date_to, rate in table.get((product.id, category.id), ()):
            if date_from <= on_date and (not date_to or on_date <= date_to):
                return rate
        return None
