from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare, format_amount

from .coop_billing_rules import data_storage_share

EXPENSE_TYPES = [
    ("material", "Materials (purchase price + margin)"),
    ("page", "Copies and typed letters (per page)"),
    ("km", "Travel (per km)"),
    ("storage_media", "File storage media (per month)"),
    ("data_storage", "Member data storage"),
    ("tax", "Taxes re-billed"),
]


class CoopExpense(models.Model):
    """Art. 5.7 (and 5.4, 5.6): expenses re-billed to the member on its service invoice."""

    _name = "coop.expense"
    _description = "Member expense"
    _order = "date desc, id desc"

    name = fields.Char("Description", required=True)
    membership_id = fields.Many2one("coop.membership", required=True, index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    expense_type = fields.Selection(EXPENSE_TYPES, "Type", required=True, default="material")
    quantity = fields.Float(required=True, default=1.0, help="Pages, km, months of storage, or units of material.")
    unit_cost = fields.Monetary(
        "Purchase price", help="Purchase price of a material or of a storage medium, or the cost passed on."
    )
    price_unit = fields.Monetary("Unit price billed", compute="_compute_amount", store=True)
    margin = fields.Float("Commercial margin", compute="_compute_amount", store=True, digits=(5, 4))
    amount = fields.Monetary("Billable amount", compute="_compute_amount", store=True)
    invoice_line_id = fields.Many2one(
        "account.move.line", copy=False, readonly=True, index="btree_not_null", ondelete="set null"
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Service invoice")

    # ROI 2021 art. 5.6: the figures of a computed data storage share
    storage_month = fields.Date("Storage month", readonly=True, help="First day of the month of the storage share.")
    storage_occupied = fields.Float("Space of the member's data (GB)", readonly=True, digits=(16, 3))
    storage_total_occupied = fields.Float("Storage used by all members (GB)", readonly=True, digits=(16, 3))
    storage_total_cost = fields.Monetary("Storage cost borne by 24PM", readonly=True)

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "An expense quantity must be positive.")
    _coop_uninvoiced_idx = models.Index("(membership_id) WHERE invoice_line_id IS NULL")
    _coop_storage_month_uniq = models.UniqueIndex(
        "(membership_id, storage_month) WHERE storage_month IS NOT NULL",
        "The data storage share of a member is computed once per month.",
    )

    @api.constrains("expense_type", "membership_id", "storage_total_occupied", "storage_total_cost")
    def _check_art_5_6_data_storage(self):
        """Art. 5.6: the member's own regulation decides how the storage of its data is
        billed: ROI 2021 its share EOM / CTS x CT24PM (``storage_at_cost`` unset), ROI 2023
        passed on at cost without margin. An expense of the other path is refused."""
        for expense in self.filtered(lambda e: e.expense_type == "data_storage"):
            is_share = bool(expense.storage_total_occupied or expense.storage_total_cost)
            self._coop_check_storage_path(expense.membership_id, at_cost=not is_share)

    @api.model
    def _coop_check_storage_path(self, memberships, at_cost):
        """Art. 5.6: refuse the path (``at_cost`` or the share) that the regulation of one
        of ``memberships`` does not provide, naming the article."""
        for membership in memberships:
            regulation = membership.regulation_id
            if regulation.storage_at_cost and not at_cost:
                raise ValidationError(
                    self.env._(
                        "Art. 5.6: %(member)s is governed by %(regulation)s: the storage of its data is passed on "
                        "at cost, without margin; the share EOM / CTS x CT24PM does not apply.",
                        member=membership.partner_id.display_name,
                        regulation=regulation.display_name,
                    )
                )
            if at_cost and not regulation.storage_at_cost:
                raise ValidationError(
                    self.env._(
                        "Art. 5.6: %(member)s is governed by %(regulation)s: the storage of its data is billed as "
                        "its share EOM / CTS x CT24PM (button Data storage share), not at cost.",
                        member=membership.partner_id.display_name,
                        regulation=regulation.display_name,
                    )
                )

    @api.depends("expense_type", "quantity", "unit_cost", "date", "membership_id")
    def _compute_amount(self):
        for expense in self:
            if expense.invoice_line_id:
                continue
            regulation = expense.membership_id.regulation_id
            currency = expense.currency_id or expense.env.company.currency_id
            margin = 0.0
            kind = expense.expense_type
            if kind == "page":
                price = regulation.expense_page_rate
            elif kind == "km":
                price = regulation.expense_km_rate
            elif kind == "storage_media":
                price = currency.round(expense.unit_cost / (regulation.storage_media_months or 36))
            elif kind == "material":
                price = expense.unit_cost
                margin = expense.membership_id._get_plan_margin(expense.date) or 0.0 if expense.membership_id else 0.0
            else:  # data storage (2023: at cost, without margin; 2021: the computed share) and taxes
                price = expense.unit_cost
            expense.price_unit = price
            expense.margin = margin
            expense.amount = currency.round(expense.quantity * price * (1.0 + margin))

    def write(self, vals):
        if self.filtered("invoice_line_id") and not self.env.context.get("coop_billing_internal"):
            raise UserError(self.env._("An invoiced expense can no longer be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered("invoice_line_id"):
            raise UserError(self.env._("An invoiced expense cannot be deleted."))

    @api.model
    def _coop_billable_domain(self, memberships=None):
        domain = (
            Domain("invoice_line_id", "=", False)
            & Domain("amount", ">", 0)
            & self.env["coop.service.pricing"]._coop_billable_service_domain("membership_id", "date")
        )
        if memberships is not None:
            domain &= Domain("membership_id", "in", memberships.ids)
        return domain

    @api.model
    def _coop_check_storage_month_free(self, memberships, month):
        """A member's data storage is billed once per month."""
        done = self.sudo().search([("membership_id", "in", memberships.ids), ("storage_month", "=", month)], limit=1)
        if done:
            raise UserError(
                self.env._(
                    "The data storage share of %(member)s for %(month)s is already computed.",
                    member=done.membership_id.partner_id.display_name,
                    month=month.strftime("%m/%Y"),
                )
            )

    @api.model
    def _coop_create_data_storage_at_cost(self, month, cost_by_member):
        """ROI 2023 art. 5.6: the cost of storing each member's data for ``month`` passed on
        at cost, without margin. ``cost_by_member``: {membership: cost of the month}.
        Members under a regulation of the share (2021) are refused by
        ``_check_art_5_6_data_storage``; nothing is created on bad input."""
        month = fields.Date.to_date(month).replace(day=1)
        if not cost_by_member:
            raise UserError(self.env._("Art. 5.6: give the storage cost of at least one member."))
        memberships = self.env["coop.membership"].concat(*cost_by_member)
        self._coop_check_storage_path(memberships, at_cost=True)
        for membership, cost in cost_by_member.items():
            if float_compare(cost, 0.0, precision_rounding=membership.currency_id.rounding or 0.01) <= 0:
                raise UserError(
                    self.env._("Art. 5.6: the storage cost of %s must be positive.", membership.partner_id.display_name)
                )
        self._coop_check_storage_month_free(memberships, month)
        vals_list = []
        for membership, cost in cost_by_member.items():
            currency = membership.currency_id
            vals_list.append(
                {
                    "membership_id": membership.id,
                    "expense_type": "data_storage",
                    "name": self.with_context(lang=membership.partner_id.lang or self.env.lang).env._(
                        "Data storage of %(month)s, at cost without margin (art. 5.6): %(cost)s",
                        month=month.strftime("%m/%Y"),
                        cost=format_amount(self.env, cost, currency),
                    ),
                    "date": month + relativedelta(months=1, days=-1),
                    "quantity": 1.0,
                    "unit_cost": currency.round(cost),
                    "storage_month": month,
                }
            )
        return self.create(vals_list)

    @api.model
    def _coop_create_data_storage_expenses(self, month, occupied_by_member, total_cost, total_occupied=None):
        """ROI 2021 art. 5.6: one "member data storage" expense per member for ``month``,
        EOM / CTS x CT24PM (``coop_billing_rules.data_storage_share``).

        ``occupied_by_member``: {membership: space of its data (EOM, GB)}; ``total_cost``:
        the storage cost 24PM bore that month for all members (CT24PM);
        ``total_occupied``: the storage used by all members (CTS, GB), by default the sum
        of the spaces given. A member's share is computed once per month; bad figures
        are refused and nothing is created."""
        month = fields.Date.to_date(month).replace(day=1)
        if not occupied_by_member:
            raise UserError(self.env._("Give the space occupied by the data of at least one member."))
        if total_cost < 0:
            raise UserError(self.env._("The storage cost borne by 24PM cannot be negative."))
        if total_occupied is None:
            total_occupied = sum(occupied_by_member.values())
        memberships = self.env["coop.membership"].concat(*occupied_by_member)
        self._coop_check_storage_path(memberships, at_cost=False)
        self._coop_check_storage_month_free(memberships, month)
        vals_list = []
        for membership, occupied in occupied_by_member.items():
            rounding = membership.currency_id.rounding or 0.01
            try:
                share = data_storage_share(occupied, total_occupied, total_cost, rounding)
            except ValueError as error:
                raise UserError(
                    self.env._(
                        "Data storage of %(member)s: %(error)s (space %(occupied)s GB, all members %(total)s GB).",
                        member=membership.partner_id.display_name,
                        error=error,
                        occupied=occupied,
                        total=total_occupied,
                    )
                ) from error
            if not share:
                continue
            currency = membership.currency_id
            vals_list.append(
                {
                    "membership_id": membership.id,
                    "expense_type": "data_storage",
                    "name": self.env._(
                        "Data storage of %(month)s: %(occupied)s GB of %(total)s GB used by all members, "
                        "storage cost %(cost)s",
                        month=month.strftime("%m/%Y"),
                        occupied=f"{occupied:g}",
                        total=f"{total_occupied:g}",
                        cost=format_amount(self.env, total_cost, currency),
                    ),
                    "date": month + relativedelta(months=1, days=-1),
                    "quantity": 1.0,
                    "unit_cost": share,
                    "storage_month": month,
                    "storage_occupied": occupied,
                    "storage_total_occupied": total_occupied,
                    "storage_total_cost": total_cost,
                }
            )
        return self.create(vals_list)
