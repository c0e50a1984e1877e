from odoo import api, fields, models


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

    @api.model
    def _record(self, memberships, regulation, date_from, transfer=None):
        """``regulation`` governs ``memberships`` from ``date_from`` (the first line of a
        membership's history is the regulation it was concluded under)."""
        for membership in memberships:
            lines = self.search([("membership_id", "=", membership.id)]) or self.create(
                {
                    "membership_id": membership.id,
                    "regulation_id": membership.regulation_id.id,
                    "date_from": membership.date_registered or membership.date_signed or membership.date_application,
                }
            )
            lines.filtered(lambda line: not line.date_to).write({"date_to": fields.Date.subtract(date_from, days=1)})
            self.create(
                {
                    "membership_id": membership.id,
                    "regulation_id": regulation.id,
                    "date_from": date_from,
                    "transfer_id": transfer.id if transfer else False,
                }
            )
