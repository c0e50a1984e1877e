from odoo import fields, models


class CoopMembershipRegulationHistory(models.Model):
    """Which regulation governed a membership from which date (ROI 2019 art. 3: an
    affiliate stays under the 2019 regulation until its transfer contract)."""

    _name = "coop.membership.regulation.history"
    _description = "Regulation of a membership over time"
    _order = "membership_id, date_from, id"

    membership_id = fields.Many2one("coop.membership", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    regulation_id = fields.Many2one("coop.regulation", required=True, ondelete="restrict")
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("Until")
    transfer_id = fields.Many2one("coop.membership.transfer", "Transfer contract", ondelete="set null")
