from odoo import fields, models


class CoopMembershipSignWizard(models.TransientModel):
    _name = "coop.membership.sign.wizard"
    _description = "Record a signed membership contract"

    application_id = fields.Many2one("coop.membership.application", required=True)
    date_signed = fields.Date(required=True, default=fields.Date.context_today)
    signatory_name = fields.Char(required=True)
    signatory_capacity = fields.Char(required=True, help="e.g. managing director, director by mandate.")
    has_power = fields.Boolean(
        "The signatory has the power to bind the company",
        help="Whoever commits a company without the power to do so is personally liable.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.application_id.action_sign(
            self.date_signed, self.signatory_name, self.signatory_capacity, self.has_power
        )
        return {"type": "ir.actions.act_window_close"}
