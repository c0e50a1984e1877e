from odoo import fields, models


class CoopRegulation(models.Model):
    _inherit = "coop.regulation"

    # art. 5.7 and 5.3: the figures the regulation sets for expenses and rate changes
    expense_page_rate = fields.Monetary("Copy / typed letter, per page", default=4.0)
    expense_km_rate = fields.Monetary("Travel, per km", default=0.5)
    storage_media_months = fields.Integer("Storage media spread over (months)", default=36)
    rate_change_notice_days = fields.Integer("Days before a rate change applies", required=True, default=15)
    estimate_max_factor = fields.Float("Time billed at most (x estimate)", required=True, default=3.0)
    rso_accept_days = fields.Integer(
        "Days to accept the specific operating rules (RSO)",
        required=True,
        default=5,
        help="Art. 5.2: the member's silence this many days after the PM's confirmation accepts the RSO.",
    )
