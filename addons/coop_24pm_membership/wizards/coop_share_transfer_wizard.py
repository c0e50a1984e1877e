from odoo import fields, models


class CoopShareTransferWizard(models.TransientModel):
    _name = "coop.share.transfer.wizard"
    _description = "Transfer shares between holders"

    date = fields.Date(required=True, default=fields.Date.context_today)
    from_partner_id = fields.Many2one("res.partner", "From", required=True)
    to_partner_id = fields.Many2one("res.partner", "To", required=True)
    share_class_id = fields.Many2one("coop.share.class", "Class", required=True)
    quantity = fields.Integer(required=True, default=1)
    board_mandate = fields.Char(default=lambda self: self.env._("Signed by the board of directors, by mandate"))

    def action_confirm(self):
        self.ensure_one()
        lines = self.env["coop.share.line"]._transfer(
            self.from_partner_id,
            self.to_partner_id,
            self.share_class_id,
            self.quantity,
            self.date,
            self.board_mandate,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("coop_24pm_membership.coop_share_line_action")
        action["domain"] = [("id", "in", lines.ids)]
        return action
