from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero, format_amount

#: the PM is warned once what is left of the funded balance falls to this share of it
FUNDED_WARNING_SHARE = 0.2


class CoopPrepaymentAccount(models.Model):
    """Funded work (risk 0, SPEC 4.3): the prepayments of a funded member are held on the
    advances account until it releases them on delivery (``action_coop_release_funded``)
    or the mediator decides (art. 11.3.2); they are never applied to its invoices. Work
    proceeds only on what is funded and not used yet (``_coop_check_funded_work``)."""

    _inherit = "coop.prepayment.account"

    funded_work = fields.Boolean(related="membership_id.coop_funded_work")
    funded_balance = fields.Monetary(
        "Funded and held",
        compute="_compute_funded",
        help="Prepayments received and not released nor refunded yet (posted entries on 460000).",
    )
    funded_committed = fields.Monetary(
        "Work to pay from it",
        compute="_compute_funded",
        help="Service invoices not released yet and the work not invoiced yet, VAT included.",
    )
    funded_left = fields.Monetary(
        "Funded balance left",
        compute="_compute_funded",
        help="What new work may still use: the funded amount less the work already done on it.",
    )

    def _apply(self, invoices=None):
        held = self.filtered(lambda account: account.membership_id._coop_is_funded())
        return super(CoopPrepaymentAccount, self - held)._apply(invoices)

    def _compute_funded(self):
        for account in self:
            if account.id and account.membership_id._coop_is_funded():
                figures = account._coop_funded_figures()
            else:
                figures = {"funded": 0.0, "committed": 0.0, "left": 0.0}
            account.funded_balance = figures["funded"]
            account.funded_committed = figures["committed"]
            account.funded_left = figures["left"]

    def _coop_open_service_invoices(self):
        """Posted service invoices of the member not settled yet (oldest first)."""
        self.ensure_one()
        membership = self.membership_id
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("coop_is_prepayment", "=", False),
                    ("coop_is_service_invoice", "=", True),
                    ("commercial_partner_id", "=", membership.partner_id.id),
                    ("company_id", "=", membership.company_id.id),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date, id",
            )
        )

    def _coop_funded_figures(self):
        """The funded balance from the posted books: the prepayments received on 460000
        less what was released, applied or refunded (``_get_available``); the work paid
        from it: the open service invoices and the work not invoiced yet."""
        self.ensure_one()
        membership = self.membership_id
        currency = membership.currency_id
        funded = self._get_available()
        invoiced = sum(self._coop_open_service_invoices().mapped("amount_residual"))
        uninvoiced = self.env["coop.service.pricing"]._coop_with_service_tax(
            membership, membership.sudo()._get_uninvoiced_amount()
        )
        committed = currency.round(invoiced + uninvoiced)
        return {"funded": funded, "committed": committed, "left": currency.round(funded - committed)}

    @api.model
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
                SQL("UPDATE coop_membership SET write_date = write_date WHERE id IN %s", tuple(self.membership_id.ids))
            )

    def _coop_check_funded_work(self, what):
        """Refuse ``what`` (new work) beyond the funded balance; warn the PM when what is
        left comes near the end of it."""
        if not self:
            return
        funded = self.filtered(lambda account: account.membership_id._coop_is_funded())
        funded._coop_serialize_funded()
        for account in funded:
            membership = account.membership_id
            figures = account._coop_funded_figures()
            rounding = membership.currency_id.rounding
            if float_compare(figures["left"], 0.0, precision_rounding=rounding) < 0:
                raise ValidationError(
                    self.env._(
                        "%(rule)s %(what)s for %(member)s would exceed its funded balance: %(funded)s funded, "
                        "%(committed)s of work on it. Ask the member to fund more first.",
                        rule=self._coop_funded_rule(),
                        what=what,
                        member=membership.partner_id.display_name,
                        funded=format_amount(self.env, figures["funded"], membership.currency_id),
                        committed=format_amount(self.env, figures["committed"], membership.currency_id),
                    )
                )
            limit = membership.currency_id.round(figures["funded"] * FUNDED_WARNING_SHARE)
            if float_compare(figures["left"], limit, precision_rounding=rounding) <= 0:
                account._coop_warn_funded(figures)

    def _coop_warn_funded(self, figures):
        """An activity for the PM on the membership (once while it is open): the funded
        balance is nearly used."""
        self.ensure_one()
        membership = self.membership_id
        pm = membership._coop_responsible_user(self.env.user)
        pm_env = membership._coop_user_env(pm)
        summary = pm_env._("Funded balance nearly used")
        if membership.sudo().activity_ids.filtered(lambda a: a.summary == summary):
            return
        membership.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            user_id=pm.id,
            summary=summary,
            note=pm_env._(
                "%(left)s left of the %(funded)s funded by %(member)s (risk 0): ask for a new prepayment "
                "before more work is done.",
                left=format_amount(pm_env, figures["left"], membership.currency_id),
                funded=format_amount(pm_env, figures["funded"], membership.currency_id),
                member=membership.partner_id.display_name,
            ),
        )

    def _coop_check_release(self, amount):
        self.ensure_one()
        membership = self.membership_id
        currency = membership.currency_id
        if not membership._coop_is_funded():
            raise UserError(
                self.env._(
                    "%s does not work on funded work (risk 0): there is nothing to release.", membership.display_name
                )
            )
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(self.env._("The amount to release must be positive."))
        self._coop_serialize_funded()
        funded = self._get_available()
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
        first, never a disputed amount; ``_transfer_move``). Returns the posted entries.
        Art. 4.6: an agent releases with the finance right only."""
        self.ensure_one()
        membership = self.membership_id
        (released_by or self.env.user).partner_id._coop_check_right("finance", membership._coop_no_finance_message())
        currency = membership.currency_id
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
            moves |= self._transfer_move(part, label, receivable[:1].account_id, receivable)
            left = currency.round(left - part)
            if float_is_zero(left, precision_rounding=currency.rounding):
                break
        membership.message_post(
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
            "context": {"default_membership_id": self.membership_id.id},
        }
