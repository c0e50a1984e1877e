from odoo import api, fields, models
from odoo.tools import format_date

from .coop_plan_rules import period_containing, prorata_fraction


class ContractLine(models.Model):
    """Plan lines of a membership contract: periods anchored on the anniversary date and
    split periods invoiced pro rata by days (SPEC 3.2), so a plan change leaves no gap
    and no double billing."""

    _inherit = "contract.line"

    coop_plan_id = fields.Many2one("coop.plan", "Plan", index=True, copy=False)
    coop_monthly_fee = fields.Monetary("Monthly contribution", currency_field="currency_id", copy=False)
    # OCA ``contract`` 19.0 has no successor line: a plan change links the line it ends
    # to the line it starts (SPEC 3.2, no gap and no double billing between them)
    coop_predecessor_line_id = fields.Many2one(
        "contract.line", "Previous plan line", readonly=True, copy=False, index="btree_not_null"
    )
    coop_successor_line_ids = fields.One2many("contract.line", "coop_predecessor_line_id", "Next plan line")

    def _coop_period_months(self):
        """Months of one period of the line, read from OCA ``contract``'s recurrence
        (``get_relative_delta``); 0 when its periods are not whole months (days, weeks,
        last day of the month)."""
        self.ensure_one()
        delta = self.get_relative_delta(self.recurring_rule_type, self.recurring_interval)
        if delta.days or delta.day:
            return 0
        return delta.years * 12 + delta.months

    def _coop_anchored(self):
        self.ensure_one()
        return bool(self.contract_id.coop_anchor_date and not self.display_type and self._coop_period_months())

    def _coop_period(self, day):
        return period_containing(self.contract_id.coop_anchor_date, self._coop_period_months(), day)

    @api.depends(
        "next_period_date_start",
        "recurring_invoicing_type",
        "recurring_invoicing_offset",
        "recurring_rule_type",
        "recurring_interval",
        "date_end",
        "recurring_next_date",
        "contract_id.coop_anchor_date",
    )
    def _compute_next_period_date_end(self):
        anchored = self.filtered(lambda line: line._coop_anchored())
        res = super(ContractLine, self - anchored)._compute_next_period_date_end()
        for line in anchored:
            start = line.next_period_date_start
            if not start:
                line.next_period_date_end = False
                continue
            end = line._coop_period(start)[1]
            if line.date_end and end > line.date_end:
                end = line.date_end
            line.next_period_date_end = end
        return res

    def _get_period_to_invoice(self, last_date_invoiced, recurring_next_date, stop_at_date_end=True):
        if not self._coop_anchored():
            return super()._get_period_to_invoice(last_date_invoiced, recurring_next_date, stop_at_date_end)
        if not recurring_next_date:
            return False, False, False
        return self.next_period_date_start, self.next_period_date_end, recurring_next_date

    def _coop_prorata(self, date_from, date_to):
        """Fraction of the anchored period billed for ``[date_from, date_to]``."""
        start, end = self._coop_period(date_from)
        return prorata_fraction(date_from, date_to, start, end)

    def _prepare_invoice_line(self):
        vals = super()._prepare_invoice_line()
        if vals and self.coop_kind == "plan" and self.coop_plan_id:
            # the plan's contribution income account, tagged for the management report
            company = self.contract_id.company_id
            vals.update(
                {
                    "account_id": self.coop_plan_id._coop_get_income_account("contribution_account_id", company).id,
                    "coop_plan_id": self.coop_plan_id.id,
                    "coop_line_kind": "contribution",
                }
            )
        if not vals or not self._coop_anchored() or not self.next_period_date_start:
            return vals
        date_from, date_to = self.next_period_date_start, self.next_period_date_end
        fraction = self._coop_prorata(date_from, date_to)
        # the label speaks the member's language, its dates in that language's format (SPEC 7.6)
        lang = self.contract_id.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        period = {"from": format_date(env, date_from, lang_code=lang), "to": format_date(env, date_to, lang_code=lang)}
        if fraction < 1.0:
            currency = self.contract_id.currency_id
            days = (date_to - date_from).days + 1
            start, end = self._coop_period(date_from)
            vals["price_unit"] = currency.round(self.price_unit * fraction)
            vals["name"] = env._(
                "%(name)s - %(from)s to %(to)s, pro rata %(days)s/%(period)s days",
                name=vals["name"],
                **period,
                days=days,
                period=(end - start).days + 1,
            )
        elif self.coop_kind:
            vals["name"] = env._("%(name)s - %(from)s to %(to)s", name=vals["name"], **period)
        return vals
