from odoo import fields, models


class CoopShareHoldersWizard(models.TransientModel):
    """Current holders per class at a given date (one grouped query)."""

    _name = "coop.share.holders.wizard"
    _description = "Shareholders at a date"

    date = fields.Date(required=True, default=fields.Date.context_today)
    share_class_ids = fields.Many2many("coop.share.class", string="Classes")
    line_ids = fields.One2many("coop.share.holders.wizard.line", "wizard_id", readonly=True)

    def _compute_lines(self):
        self.ensure_one()
        classes = self.share_class_ids or self.env["coop.share.class"].search([])  # pylint: disable=no-search-all  # a handful of share classes
        holdings = self.env["coop.share.line"]._get_holdings(on_date=self.date, share_class=classes)
        self.line_ids = [(5, 0, 0)] + [
            (0, 0, {"partner_id": partner_id, "share_class_id": class_id, "quantity": qty})
            for (partner_id, class_id), qty in sorted(holdings.items())
            if qty > 0
        ]

    def action_compute(self):
        self._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Shareholders"),
        }

    def action_print(self):
        self._compute_lines()
        return self.env.ref("coop_24pm_membership.action_report_share_holders").report_action(self)
