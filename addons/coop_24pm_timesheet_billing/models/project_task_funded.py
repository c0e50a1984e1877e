from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, format_amount


class ProjectTask(models.Model):
    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    @api.model_create_multi
    def create(self, vals_list):
        """A new request or task in the projects of a member on funded work: refused when
        nothing funded is left (risk 0)."""
        Project = self.env["project.project"].sudo()
        for vals in vals_list:
            membership = Project.browse(vals.get("project_id")).coop_membership_id
            if membership and membership._coop_is_funded():
                figures = membership._get_prepayment_account()._coop_funded_figures()
                if float_compare(figures["left"], 0.0, precision_rounding=membership.currency_id.rounding) <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(rule)s Nothing funded is left for %(member)s (%(funded)s funded, %(committed)s "
                            "of work on it): new work can be requested once the member funds more.",
                            rule=self.env["coop.prepayment.account"]._coop_funded_rule(),
                            member=membership.partner_id.display_name,
                            funded=format_amount(self.env, figures["funded"], membership.currency_id),
                            committed=format_amount(self.env, figures["committed"], membership.currency_id),
                        )
                    )
        tasks = super().create(vals_list)
        funded = tasks.sudo().coop_membership_id.filtered(lambda m: m._coop_is_funded())
        funded._get_prepayment_account()._coop_check_funded_work(self.env._("This request"))
        return tasks

    def _coop_sync_allocated_hours(self):
        """The PM is warned when a task's estimate (VAT included) goes beyond what is left
        of the funded balance: the time beyond it will be refused."""
        res = super()._coop_sync_allocated_hours()
        for task in self.sudo().filtered(lambda t: t.coop_membership_id and t.coop_estimate_ids):
            membership = task.coop_membership_id
            if not membership._coop_is_funded():
                continue
            currency = membership.currency_id
            estimate = self.env["coop.service.pricing"]._coop_with_service_tax(membership, task.coop_estimate_amount)
            figures = membership._get_prepayment_account()._coop_funded_figures()
            if float_compare(estimate, figures["left"], precision_rounding=currency.rounding) <= 0:
                continue
            pm = membership.pm_id or task.user_ids[:1] or self.env.user
            pm_env = task._coop_user_env(pm)
            task.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=pm.id,
                summary=pm_env._("Estimate beyond the funded balance"),
                note=pm_env._(
                    "Task %(task)s is estimated at %(estimate)s VAT included, for %(left)s of funded balance left "
                    "(risk 0): time beyond the funded balance will be refused.",
                    task=task.display_name,
                    estimate=format_amount(pm_env, estimate, currency),
                    left=format_amount(pm_env, figures["left"], currency),
                ),
            )
        return res
