from odoo import api, fields, models


class CoopMembershipContractMixin(models.AbstractModel):
    """The terms of a membership contract with 24PM, the same from the application to the
    membership (SPEC 2.1): the company, the cooperative, the regulation that governs it and
    the commitment, dated by the application (as OCA ``contract.abstract.contract`` gives a
    contract and its template their terms once)."""

    _name = "coop.membership.contract.mixin"
    _description = "Terms of a membership contract"

    name = fields.Char("Reference", readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        "Company",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one("res.company", "Cooperative", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    regulation_id = fields.Many2one(
        "coop.regulation",
        required=True,
        tracking=True,
        default=lambda self: self.env["coop.regulation"]._get_current(),
    )
    commitment = fields.Selection(
        [("monthly", "Monthly"), ("annual", "Annual")],
        default="monthly",
        required=True,
        tracking=True,
    )
    date_application = fields.Date("Application date", default=fields.Date.context_today, required=True, copy=False)

    @api.constrains("partner_id")
    def _check_partner_is_company(self):
        self.partner_id._coop_check_can_join()

    @api.constrains("commitment", "regulation_id")
    def _check_commitment_allowed(self):
        for contract in self:
            contract.regulation_id._coop_check_commitment(contract.commitment)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Membership contract %s", self.name)
