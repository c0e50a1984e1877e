from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from .account_move import OPEN_PAYMENT_LINE_STATES


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _prepare_payment_line_vals(self, payment_order):
        """Art. 6.3: an amount under open dispute is never collected. Capped where OCA builds
        every payment line, so the debit job and the "Add to payment order" button agree.

        The invoice's undisputed residual is spread over its receivable lines by maturity."""
        vals = super()._prepare_payment_line_vals(payment_order)
        move = self.move_id
        if payment_order.payment_type != "inbound" or move.move_type != "out_invoice" or not move.coop_disputed_amount:
            return vals
        receivables = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        ).sorted(lambda line: (line.date_maturity or line.date, line.id))
        remaining = move._coop_get_undisputed_residual()
        for line in receivables:
            if line == self:
                break
            remaining = max(move.currency_id.round(remaining - line.amount_residual_currency), 0.0)
        vals["amount_currency"] = min(vals["amount_currency"], remaining)
        return vals

    def create_payment_line_from_move_line(self, payment_order):
        """Skip a line wholly under dispute rather than put a zero amount in the order, and
        the documents the member's state does not allow to collect (SPEC 7.4)."""
        lines = self.browse()
        for mline in self:
            if payment_order.payment_type == "inbound" and not mline.move_id._coop_may_be_debited():
                continue
            vals = mline._prepare_payment_line_vals(payment_order)
            if mline.move_id.currency_id.compare_amounts(vals["amount_currency"], 0.0) > 0:
                lines |= mline
        return super(AccountMoveLine, lines).create_payment_line_from_move_line(payment_order)

    # ------------------------------------------------------------------
    # a line in a payment order not yet uploaded is settled by that order only
    # ------------------------------------------------------------------
    def _coop_get_pending_payment_lines(self):
        """The payment lines of these journal items in an OCA payment order not uploaded to
        the bank yet (draft, confirmed or file generated): the order will collect or pay
        them. Once uploaded the order's payment settles them; a cancelled order does not."""
        return self.sudo().payment_line_ids.filtered(lambda pl: pl.state in OPEN_PAYMENT_LINE_STATES)

    def _check_amls_exigibility_for_reconciliation(self, shadowed_aml_values=None):
        """Odoo's check before any reconciliation (the reconcile widgets, the register
        payment wizard, a credit note set off, a bank statement line, an entry of the
        suite): see ``_coop_check_not_in_pending_payment_order``."""
        res = super()._check_amls_exigibility_for_reconciliation(shadowed_aml_values=shadowed_aml_values)
        self._coop_check_not_in_pending_payment_order()
        return res

    def _coop_check_not_in_pending_payment_order(self):
        """A journal item in a payment order not uploaded yet is reconciled with that
        order's own payment only (OCA reconciles them at the upload): settled otherwise
        as well (a credit note, a transfer, the guarantee), the bank would still collect
        (or pay) the amount in the order, and the member would pay twice. Refused, naming
        the document and the order; nothing changes."""
        for payment_line in self._coop_get_pending_payment_lines():
            order = payment_line.order_id
            others = self - payment_line.move_line_id
            allowed = others.filtered(
                lambda aml, order=order: (
                    aml.move_id.sudo().payment_order_id == order
                    or order in aml._coop_get_pending_payment_lines().order_id
                )
            )
            if others - allowed:
                payment_line.move_line_id._coop_raise_in_pending_payment_order(payment_line)

    def _coop_check_may_be_settled_otherwise(self):
        """Before a path settles these items with something it creates (a payment, a credit
        note, a draw on the guarantee), so that the refusal comes before any change."""
        payment_line = self._coop_get_pending_payment_lines()[:1]
        if payment_line:
            payment_line.move_line_id._coop_raise_in_pending_payment_order(payment_line)

    def _coop_raise_in_pending_payment_order(self, payment_line):
        raise UserError(
            self.env._(
                "%(document)s is in payment order %(order)s, which is not uploaded to the bank yet: only that "
                "order's payment may settle it, or the amount would be collected or paid twice. Take it out of the "
                "order first (cancel the order, set it back to draft, remove the line and confirm the order again) "
                "or cancel the order, then set it off or record the payment. Nothing was changed.",
                document=payment_line.move_line_id.move_id.display_name,
                order=payment_line.order_id.name,
            )
        )

    @api.model
    def _coop_receivable_domain(self, membership, open_only=False):
        """The member's posted items on its receivable accounts (``open_only``: not reconciled),
        as its partner ledger shows them."""
        membership.ensure_one()
        domain = [
            ("company_id", "=", membership.company_id.id),
            ("partner_id", "=", membership.partner_id.commercial_partner_id.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
        ]
        return [*domain, ("reconciled", "=", False)] if open_only else domain

    @api.model
    def _coop_take_out_at_contract_end(self, membership):
        """At the end of the contract: the member's open documents leave the payment orders
        not uploaded yet (``_coop_take_out_of_payment_orders``), said on the chatter of each
        document, order and of the membership. A guarantee called for stays: nothing at the
        end settles it, and what is paid of it is refunded on request. Returns the documents."""
        membership.ensure_one()
        member_env = membership.with_context(lang=membership.partner_id.lang or self.env.lang).env
        lines = (
            self.sudo()
            .search(self._coop_receivable_domain(membership, open_only=True))
            .filtered(lambda line: not line.move_id.coop_guarantee_invoice)
        )
        done = lines._coop_take_out_of_payment_orders(
            self.env._("the end of the contract settles it (set-off, guarantee, final settlement).")
        )
        documents = self.env["account.move"].concat(*(document for document, _order, _amount, _cur in done))
        if done:
            membership.message_post(
                body=member_env._(
                    "At the end of the contract, taken out of the payment orders not uploaded to the bank yet, to be "
                    "settled with the contract: %(documents)s.",
                    documents=", ".join(
                        member_env._(
                            "%(document)s (%(amount)s, order %(order)s)",
                            document=document.display_name,
                            amount=format_amount(member_env, amount, currency),
                            order=order.name,
                        )
                        for document, order, amount, currency in done
                    ),
                )
            )
        return documents

    def _coop_take_out_of_payment_orders(self, reason):
        """Take these journal items out of the payment orders not uploaded yet, so that
        something else may settle them: the payment line is removed and, in a confirmed
        order, its payment with it (or lowered to the lines it keeps); an order whose file
        was generated goes back to confirmed, its file to generate again. ``reason`` is
        said on the chatter of each document and order. Returns, for each payment line
        removed, (document, order, amount, currency)."""
        pending = self._coop_get_pending_payment_lines()
        done = []
        for payment_line in pending:
            order = payment_line.order_id
            for payment in payment_line.payment_ids:
                rest = payment.payment_line_ids - payment_line
                if rest:
                    payment.write(
                        {
                            "payment_line_ids": [Command.unlink(payment_line.id)],
                            "amount": sum(rest.mapped("amount_currency")),
                            "payment_reference": " - ".join(line.communication or "" for line in rest),
                        }
                    )
                else:
                    payment.action_draft()
                    payment.action_cancel()
                    payment.unlink()
            document = payment_line.move_line_id.move_id
            done.append((document, order, payment_line.amount_currency, payment_line.currency_id))
        pending.unlink()
        for document, order, amount, currency in done:
            body = self.env._(
                "%(document)s (%(amount)s) was taken out of payment order %(order)s, not uploaded to the bank "
                "yet: %(reason)s",
                document=document.display_name,
                amount=format_amount(self.env, amount, currency),
                order=order.name,
                reason=reason,
            )
            document.message_post(body=body)
            order.message_post(body=body)
            if order.state == "generated":
                order.write({"state": "open"})
                order.message_post(
                    body=self.env._(
                        "The payment file generated before no longer matches the order: do not send it, generate "
                        "the file again."
                    )
                )
        return done
