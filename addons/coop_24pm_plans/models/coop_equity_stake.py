from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class CoopEquityStake(models.Model):
    _inherit = "coop.equity.stake"

    def _check_may_hold_stake(self):
        """ROI 2021 art. 4.4.2: only a member on the Partner plan of the 2021 regulation
        (a plan that allows equity) may transfer shares of its company to 24PM."""
        res = super()._check_may_hold_stake()
        for stake in self:
            plan = stake.membership_id._get_plan_on(stake.date)
            if not plan.allows_equity_stake:
                raise ValidationError(
                    self.env._(
                        "ROI 2021 art. 4.4.2: only a member on the Partner plan of the 2021 regulation may transfer "
                        "shares of its company to 24PM; %(member)s is on %(plan)s on %(date)s.",
                        member=stake.partner_id.display_name,
                        plan=plan.display_name or self.env._("no plan"),
                        date=format_date(self.env, stake.date),
                    )
                )
            trial_end = stake.membership_id.contract_id.sudo().coop_trial_end_date
            if trial_end and stake.date > trial_end:
                raise ValidationError(
                    self.env._(
                        "ROI 2021 art. 4.4.2: 24PM invites the transfer of shares during the trial of the Partner "
                        "plan; the trial of %(member)s ended on %(date)s.",
                        member=stake.partner_id.display_name,
                        date=format_date(self.env, trial_end),
                    )
                )
        return res
