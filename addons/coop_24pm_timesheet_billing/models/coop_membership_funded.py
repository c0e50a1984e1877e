from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero, format_amount

#: the PM is warned once what is left of the funded balance falls to this share of it
FUNDED_WARNING_SHARE = 0.2


class CoopMembership(models.Model):
    """Funded work ("risk 0", the project-marketplace seed; SPEC 4.3): a member paying by
    prepayments (art. 6.1) whose work proceeds only on the amount it funded. The funded
    amount is held on the prepayments received account (460000) until the member
    releases it on delivery; a dispute on it goes to mediation (art. 11.3.2)."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    coop_funded_work = fields.Boolean(
        "Funded work (risk 0)",
        tracking=True,
        help="Prepayment mode only: work is accepted up to the amount the member funded, the prepayments "
        "are held until the member releases them on delivery, and disputes go to mediation (art. 11.3.2).",
    )
    coop_funded_balance = fields.Monetary(
        "Funded and held",
        compute="_compute_coop_funded",
        help="Prepayments received and not released nor refunded yet (posted entries on 460000).",
    )
    coop_funded_committed = fields.Monetary(
        "Work to pay from it",
        compute="_compute_coop_funded",
        help="Service invoices not released yet and the work not invoiced yet, VAT included.",
    )
    coop_funded_left = fields.Monetary(
        "Funded balance left",
        compute="_compute_coop_funded",
        help="What new work may still use: the funded amount less the work already done on it.",
    )

    @api.constrains("coop_funded_work")
    def _check_coop_funded_work(self):
        """Set on a member paying by prepayments; should it later pay by direct debit, the
        rules of funded work stop applying (``_coop_is_funded``)."""
        for membership in self:
            if membership.coop_funded_work and membership.coop_payment_mode != "prepayment":
                raise ValidationError(
                    self.env._(
                        "%s: funded work (risk 0) needs the prepayment mode (art. 6.1).", membership.display_name
                    )
                )

    def _coop_is_funded(self):
        self.ensure_one()
        return self.coop_funded_work and self.coop_payment_mode == "prepayment"

    def _compute_coop_funded(self):
        for membership in self:
            if membership.id and membership._coop_is_funded():
                figures = membership._coop_funded_figures()
            else:
                figures = {"funded": 0.0, "committed": 0.0, "left": 0.0}
            membership.coop_funded_balance = figures["funded"]
            membership.coop_funded_committed = figures["committed"]
            membership.coop_funded_left = figures["left"]

    def _coop_open_service_invoices(self):
        """Posted service invoices of the member not settled yet (oldest first)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("coop_is_prepayment", "=", False),
                    ("coop_is_service_invoice", "=", True),
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date, id",
            )
        )

    def _coop_with_service_tax(self, untaxed):
        """``untaxed`` with the VAT of the service invoice (the work service's taxes, mapped
        by the member's fiscal position), in the currency's rounding."""
        self.ensure_one()
        currency = self.currency_id
        if float_is_zero(untaxed, precision_rounding=currency.rounding):
            return 0.0
        company = self.company_id
        product = self.env.ref("coop_24pm_timesheet_billing.product_coop_service_work", raise_if_not_found=False)
        taxes = product.sudo().taxes_id._filter_taxes_by_company(company) if product else self.env["account.tax"]
        fiscal_position = (
            self.env["account.fiscal.position"].sudo().with_company(company)._get_fiscal_position(self.partner_id)
        )
        taxes = fiscal_position.map_tax(taxes) if fiscal_position else taxes
        if not taxes:
            return currency.round(untaxed)
        return currency.round(taxes.compute_all(untaxed, currency=currency)["total_included"])

    def _coop_funded_figures(self):
        """The funded balance from the posted books: the prepayments received on 460000
        less what was released, applied or refunded (``coop.prepayment.account._get_available``);
        the work paid from it: the open service invoices and the work not invoiced yet."""
        self.ensure_one()
        currency = self.currency_id
        funded = self._get_prepayment_account()._get_available()
        invoiced = sum(self._coop_open_service_invoices().mapped("amount_residual"))
        uninvoiced = self._coop_with_service_tax(self.sudo()._get_uninvoiced_amount())
        committed = currency.round(invoiced + uninvoiced)
        return {"funded": funded, "committed": committed, "left": currency.round(funded - committed)}

    def _coop_funded_rule(self):
        return self.env._(
            "Funded work (risk 0, art. 6.1): work proceeds only on the amount the member funded by prepayments."
        )

    def _coop_serialize_funded(self):
        """Two transactions checking the same funded balance at once (two timesheets, two
        releases) must not both pass on the same money: each writes the member's row, so
        the second waits for the first and, under Odoo's repeatable read, fails with a
        serialization error that Odoo retries with the first one's work visible."""
        if self:
            self.env.cr.execute(
                SQL("UPDATE coop_membership SET write_date = write_date WHERE id IN %s", tuple(self.ids))
            )

    def _coop_check_funded_work(self, what):
        """Refuse ``what`` (new work) beyond the funded balance; warn the PM when what is
        left comes near the end of it."""
        funded = self.filtered(lambda m: m._coop_is_funded())
        funded._coop_serialize_funded()
        for membership in funded:
            figures = membership._coop_funded_figures()
            rounding = membership.currency_id.rounding
            if float_compare(figures["left"], 0.0, precision_rounding=rounding) < 0:
                raise ValidationError(
                    self.env._(
                        "%(rule)s %(what)s for %(member)s would exceed its funded balance: %(funded)s funded, "
                        "%(committed)s of work on it. Ask the member to fund more first.",
                        rule=membership._coop_funded_rule(),
                        what=what,
                        member=membership.partner_id.display_name,
                        funded=format_amount(self.env, figures["funded"], membership.currency_id),
                        committed=format_amount(self.env, figures["committed"], membership.currency_id),
                    )
                )
            limit = membership.currency_id.round(figures["funded"] * FUNDED_WARNING_SHARE)
            if float_compare(figures["left"], limit, precision_rounding=rounding) <= 0:
                membership._coop_warn_funded(figures)

    def _coop_warn_funded(self, figures):
        """An activity for the PM (once while it is open): the funded balance is nearly used."""
        self.ensure_one()
        pm = self.pm_id or self.am_id or self.env.user
        pm_env = self._coop_user_env(pm)
        summary = pm_env._("Funded balance nearly used")
        if self.sudo().activity_ids.filtered(lambda a: a.summary == summary):
            return
        self.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            user_id=pm.id,
            summary=summary,
            note=pm_env._(
                "%(left)s left of the %(funded)s funded by %(member)s (risk 0): ask for a new prepayment "
                "before more work is done.",
                left=format_amount(pm_env, figures["left"], self.currency_id),
                funded=format_amount(pm_env, figures["funded"], self.currency_id),
                member=self.partner_id.display_name,
            ),
        )

    # the prepayments are held until the member releases them (coop_prepayment_account_funded.py)
    def _coop_check_release(self, amount):
        self.ensure_one()
        currency = self.currency_id
        if not self._coop_is_funded():
            raise UserError(
                self.env._("%s does not work on funded work (risk 0): there is nothing to release.", self.display_name)
            )
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(self.env._("The amount to release must be positive."))
        self._coop_serialize_funded()
        funded = self._get_prepayment_account()._get_available()
        if float_compare(amount, funded, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "%(rule)s %(amount)s cannot be released: only %(funded)s is funded.",
                    rule=self._coop_funded_rule(),
                    amount=format_amount(self.env, amount, currency),
                    funded=format_amount(self.env, funded, currency),
                )
            )

    def action_coop_release_funded(self, amount, released_by=None):
        """On delivery the member releases ``amount`` of its funded balance to 24PM: an
        entry from 460000 to the receivable settles its open service invoices (oldest
        first, never a disputed amount). Returns the posted entries. Art. 4.6: an agent
        releases with the finance right only."""
        self.ensure_one()
        (released_by or self.env.user).partner_id._coop_check_right("finance", self._coop_no_finance_message())
        currency = self.currency_id
        amount = currency.round(amount or 0.0)
        self._coop_check_release(amount)
        invoices = self._coop_open_service_invoices()
        due = currency.round(sum(invoice._coop_get_undisputed_residual() for invoice in invoices))
        if float_compare(amount, due, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s cannot be released: the delivered work invoiced and not disputed amounts to %(due)s.",
                    amount=format_amount(self.env, amount, currency),
                    due=format_amount(self.env, due, currency),
                )
            )
        moves = self.env["account.move"]
        left = amount
        for invoice in invoices:
            part = min(left, invoice._coop_get_undisputed_residual())
            if float_compare(part, 0.0, precision_rounding=currency.rounding) <= 0:
                continue
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            label = self.env._("Funded amount released for %s (risk 0)", invoice.name)
            moves |= self._get_prepayment_account()._transfer_move(part, label, receivable[:1].account_id, receivable)
            left = currency.round(left - part)
            if float_is_zero(left, precision_rounding=currency.rounding):
                break
        self.message_post(
            body=self.env._(
                "%(amount)s of the funded balance released on delivery by %(user)s.",
                amount=format_amount(self.env, amount, currency),
                user=(released_by or self.env.user).name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return moves

    def action_coop_open_funded_release(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.funded.release.wizard",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Release the funded amount"),
            "context": {"default_membership_id": self.id},
        }
