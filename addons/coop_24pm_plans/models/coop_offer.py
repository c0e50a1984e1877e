from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_amount, format_datetime

#: SPEC 3.1: a strategic diagnosis is a 2-hour meeting with two experts
DIAGNOSIS_HOURS = 2.0


class CoopOffer(models.Model):
    """One-off offers (SPEC 3.1): the Success Pack (EUR 425 audit, refunded in full when
    the EUR 5,000 annual saving is not reached) and the strategic diagnosis (at most one
    per company director per calendar year)."""

    _name = "coop.offer"
    _description = "Success Pack or strategic diagnosis"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    kind = fields.Selection(
        [("success_pack", "Success Pack"), ("diagnosis", "Strategic diagnosis")],
        required=True,
        default="success_pack",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", "Company", required=True, index=True, domain=[("is_company", "=", True)], tracking=True
    )
    director_id = fields.Many2one(
        "res.partner", "Company director", domain="[('parent_id', '=', partner_id)]", tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one("res.company", "Cooperative", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(
        "product.product", compute="_compute_product", store=True, readonly=False, required=True, precompute=True
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False, tracking=True, precompute=True)
    saving_target = fields.Monetary("Guaranteed annual saving", default=5000.0)
    saving_achieved = fields.Monetary("Annual saving achieved", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("invoiced", "Invoiced"), ("refunded", "Refunded"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    event_id = fields.Many2one("calendar.event", "Meeting", readonly=True, copy=False, ondelete="set null")
    booked_by_id = fields.Many2one("res.users", "Booked by", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False)
    refund_id = fields.Many2one("account.move", "Credit note", readonly=True, copy=False)
    note = fields.Text()

    @api.depends("kind")
    def _compute_product(self):
        for offer in self:
            xmlid = "product_success_pack" if offer.kind == "success_pack" else "product_strategic_diagnosis"
            offer.product_id = self.env.ref(f"coop_24pm_plans.{xmlid}")

    @api.depends("product_id")
    def _compute_amount(self):
        for offer in self:
            offer.amount = offer.product_id.lst_price

    @api.constrains("kind", "director_id", "date", "state")
    def _check_one_diagnosis_per_director(self):
        """At most one strategic diagnosis per company director per calendar year."""
        for offer in self.filtered(lambda o: o.kind == "diagnosis" and o.state != "cancelled"):
            if not offer.director_id:
                raise ValidationError(self.env._("Say which company director the diagnosis is for."))
            year = offer.date.year
            others = self.search(
                [
                    ("kind", "=", "diagnosis"),
                    ("director_id", "=", offer.director_id.id),
                    ("state", "!=", "cancelled"),
                    ("id", "!=", offer.id),
                    ("date", ">=", f"{year}-01-01"),
                    ("date", "<=", f"{year}-12-31"),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(director)s already had a strategic diagnosis in %(year)s: "
                        "one per company director per year.",
                        director=offer.director_id.name,
                        year=year,
                    )
                )

    @api.constrains("amount")
    def _check_amount(self):
        for offer in self:
            if offer.amount < 0:
                raise ValidationError(self.env._("An offer's price cannot be negative."))

    @api.model
    def _coop_book_diagnosis(self, membership, start, topic, director, price_accepted):
        """The member's agent books a strategic diagnosis (SPEC 3.1): two hours with two
        experts at the offer's fixed price, accepted before booking; at most one per company
        director per year (``_check_one_diagnosis_per_director``)."""
        membership = membership.sudo()
        product = self.env.ref("coop_24pm_plans.product_strategic_diagnosis").sudo()
        if not director:
            raise UserError(self.env._("Choose the director of your company the diagnosis is for."))
        if not price_accepted:
            raise UserError(
                self.env._(
                    "The strategic diagnosis (2 hours with 2 experts) costs %(amount)s (VAT excluded). Accept the "
                    "price to book it.",
                    amount=format_amount(self.env, product.lst_price, membership.currency_id),
                )
            )
        title = dict(self._fields["kind"]._description_selection(self.env))["diagnosis"]
        offer = self.sudo().create(
            {
                "kind": "diagnosis",
                "partner_id": membership.partner_id.id,
                "director_id": director.id,
                "date": fields.Date.context_today(self, start),
                "company_id": membership.company_id.id,
                "booked_by_id": self.env.user.id,
                "note": topic,
            }
        )
        offer.event_id = self.env["coop.strategy.item"]._coop_strategy_event(
            membership, title, start, DIAGNOSIS_HOURS, topic
        )
        member_env = membership._coop_member_env()
        membership._coop_send_notice(
            "projects",
            right="projects",
            subject=member_env._("Strategic diagnosis booked"),
            body=member_env._(
                "Strategic diagnosis for %(director)s booked for %(when)s with %(strategist)s: %(amount)s (VAT "
                "excluded), invoiced by 24PM.",
                director=director.name,
                when=format_datetime(member_env, start, tz=self.env.user.tz or "Europe/Brussels", dt_format="short"),
                strategist=self.env["coop.strategy.item"]._coop_strategist(membership).name,
                amount=format_amount(member_env, offer.amount, membership.currency_id),
            ),
        )
        return offer

    def action_invoice(self):
        for offer in self:
            if offer.state != "draft":
                raise UserError(self.env._("Only a draft offer can be invoiced."))
            journal = self.env["account.journal"].search(
                [*self.env["account.journal"]._check_company_domain(offer.company_id), ("type", "=", "sale")], limit=1
            )
            membership = self.env["coop.membership"].search([("partner_id", "=", offer.partner_id.id)], limit=1)
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": offer.partner_id.id,
                    "company_id": offer.company_id.id,
                    "journal_id": journal.id,
                    "invoice_date": offer.date,
                    "coop_invoice_kind": offer.kind,
                    "coop_membership_id": membership.id,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": offer.product_id.id,
                                "quantity": 1.0,
                                "price_unit": offer.amount,
                                "name": offer.product_id.display_name
                                + (f" - {offer.director_id.name}" if offer.director_id else ""),
                            }
                        )
                    ],
                }
            )
            move._coop_post()
            offer.write({"state": "invoiced", "invoice_id": move.id})
        return True

    def action_refund(self):
        """Success Pack: refund in full when the guaranteed annual saving was not reached."""
        for offer in self:
            if offer.kind != "success_pack" or offer.state != "invoiced":
                raise UserError(self.env._("Only an invoiced Success Pack can be refunded."))
            if (
                float_compare(offer.saving_achieved, offer.saving_target, precision_rounding=offer.currency_id.rounding)
                >= 0
            ):
                raise UserError(
                    self.env._(
                        "The saving achieved reaches the guaranteed %(target)s: the Success Pack is not refunded.",
                        target=offer.saving_target,
                    )
                )
            reversal = offer.invoice_id._reverse_moves(
                [
                    {
                        "ref": self.env._("Success Pack refunded: guaranteed saving not reached"),
                        "invoice_date": fields.Date.context_today(self),
                    }
                ]
            )
            # 24PM pays the refund out: late, it bears the interest and penalty of art. 6.4.2
            reversal.coop_pays_out = True
            reversal._coop_post()
            offer.write({"state": "refunded", "refund_id": reversal.id})
        return True
