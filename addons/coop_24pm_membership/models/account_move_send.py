from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    """SPEC 7.3 and 7.6: how the suite's documents leave through Odoo's send flow.

    Invoices go over Peppol when the member is on the network, otherwise by e-mail to
    the agents with the finance right (and the company's own address); a call for
    funds is never an e-invoice. Each document records how it left and why.
    """

    _inherit = "account.move.send"

    @api.model
    def _coop_is_member_move(self, move):
        return bool(move.commercial_partner_id.coop_membership_ids)

    @api.model
    def _get_default_sending_methods(self, move) -> set:
        methods = super()._get_default_sending_methods(move)
        if not self._coop_is_member_move(move):
            return methods
        if move.coop_is_call_for_funds:
            return {"email"}
        if "peppol" in methods and not self._is_applicable_to_move("peppol", move):
            # not (or no longer) on the Peppol network: the PDF by e-mail, with a note
            return (methods - {"peppol"}) | {"email"}
        return methods

    @api.model
    def _get_default_mail_partner_ids(self, move, mail_template, mail_lang):
        partners = super()._get_default_mail_partner_ids(move, mail_template, mail_lang)
        if not self._coop_is_member_move(move):
            return partners
        member = move.commercial_partner_id
        # the member's finance agents and address replace whatever Odoo found on the company
        others = partners.filtered(lambda p: p.commercial_partner_id != member)
        return others | member._coop_recipients("finance")

    @api.model
    def _hook_if_errors(self, moves_data, allow_raising=True):
        for move, move_data in moves_data.items():
            if self._coop_is_member_move(move):
                error = move_data.get("error") or {}
                text = error.get("error_title") if isinstance(error, dict) else str(error)
                details = error.get("errors") if isinstance(error, dict) else None
                if details:
                    text = " ".join([text or "", *(str(d) for d in details)])
                move.sudo().coop_sending_note = self.env._("Not sent: %s", (text or "").strip())[:500]
        return super()._hook_if_errors(moves_data, allow_raising=allow_raising)

    @api.model
    def _hook_if_success(self, moves_data, from_cron=False):
        res = super()._hook_if_success(moves_data, from_cron=from_cron)
        for move, move_data in moves_data.items():
            if not self._coop_is_member_move(move):
                continue
            move._coop_record_sending(move_data, self)
        return res
