from odoo import fields, models


class CoopShareHoldersWizardLine(models.TransientModel):
    _name = "coop.share.holders.wizard.line"
    _description = "Shareholder at a date"
    _order = "share_class_id, partner_id"

    wizard_id = fields.Many2one("coop.share.holders.wizard", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Holder")
    share_class_id = fields.Many2one("coop.share.class", "Class")
    quantity = fields.Integer("Shares")
