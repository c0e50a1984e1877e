from odoo import api, fields, models


class CoopRateObjection(models.Model):
    _name = "coop.rate.objection"
    _inherit = ["coop.pricing.source.mixin"]
    _description = "Objection to a rate change"

    change_id = fields.Many2one("coop.rate.change", required=True, ondelete="cascade", index=True)
    membership_id = fields.Many2one("coop.membership", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text()
    objected_by_id = fields.Many2one("res.users", "Objected by", readonly=True)
    product_id = fields.Many2one(related="change_id.product_id", store=True)
    category_id = fields.Many2one(related="change_id.category_id", store=True)
    active = fields.Boolean(default=True, help="Archive when the objection is settled: the services resume.")

    @api.depends("change_id.name")
    def _compute_display_name(self):
        for objection in self:
            objection.display_name = self.env._("Objection to %s", objection.change_id.name or "-")

    def _coop_dispute_persists(self):
        """Art. 5.3 with 11.1: an objection not settled lets either party give short notice."""
        self.ensure_one()
        return self.active

    def _coop_dispute_notice_given(self):
        """Art. 5.3: during the notice that follows an objection, the services resume and
        are billed at the old rate until the end of the contract."""
        self.ensure_one()
        self.change_id.member_ids.filtered(lambda line: line.membership_id == self.membership_id).write(
            {"old_rate_kept": True}
        )
        self.active = False

    _uniq = models.Constraint("UNIQUE(change_id, membership_id)", "A member objects once to a rate change.")
