from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date, plaintext2html

from odoo.addons.coop_24pm_membership.models.coop_cron import run_in_batches


class ProjectTaskRequest(models.Model):
    """Work requests of members (art. 5.2; SPEC 5.1): from the portal the member accepts
    the tariff and any RSO explicitly; from the PM it gets a confirmation and the RSO is
    accepted after 5 days without reaction, or at once through the link."""

    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    coop_request_origin = fields.Selection(
        [("portal", "Portal"), ("pm", "Project Manager")], "Requested through", readonly=True, copy=False
    )
    coop_request_state = fields.Selection(
        [("confirmed", "Confirmed"), ("rso_pending", "Waiting for RSO acceptance"), ("accepted", "Accepted")],
        "Request status",
        readonly=True,
        copy=False,
        tracking=True,
    )
    coop_rso = fields.Text("Specific operating rules (RSO)", help="Rules attached to this extra service (art. 2, 5.2).")
    coop_tariff_accepted_date = fields.Datetime("Tariff accepted on", readonly=True, copy=False)
    coop_rso_accepted_date = fields.Datetime("RSO accepted on", readonly=True, copy=False)
    coop_rso_auto_accept_date = fields.Date("RSO accepted by default on", readonly=True, copy=False)

    @api.model
    def _coop_request_deadline(self, membership, today):
        """The plan's handling delay (15 or 5 days; none for priority or no guarantee)."""
        plan = membership._get_plan_on(today)
        days = plan.request_delay_days if plan else 0
        return today + relativedelta(days=days) if days else False

    @api.model
    def _coop_create_request(
        self,
        membership,
        name,
        description=False,
        rso=False,
        origin="portal",
        tariff_accepted=False,
        rso_accepted=False,
        today=None,
        project=None,
    ):
        """A work request in the member's project (``project``, else its first); refused
        without the member's explicit acceptance when it comes from the portal, and when
        the member's state allows no request (SPEC 7.4): nothing is created then."""
        today = today or fields.Date.context_today(self)
        if origin == "portal":
            self.env.user.partner_id._coop_check_projects_right()
        membership._coop_check_may_request(today)
        if not (name or "").strip():
            raise UserError(self.env._("Please describe the work you request."))
        if origin == "portal" and not tariff_accepted:
            raise UserError(self.env._("Please accept the tariff of the requested work."))
        if origin == "portal" and rso and not rso_accepted:
            raise UserError(self.env._("Please accept the specific operating rules (RSO) of this service."))
        project = project or membership.env["project.project"]._coop_projects_of(membership)[:1]
        if not project or project.coop_membership_id != membership:
            raise UserError(
                self.env._(
                    "No project is open for %s yet: please contact your Project Manager.",
                    membership.partner_id.display_name,
                )
            )
        now = fields.Datetime.now()
        deadline = self._coop_request_deadline(membership, today)
        vals = {
            "name": name.strip(),
            "description": description or False,
            "project_id": project.id,
            "coop_request_origin": origin,
            "coop_rso": rso or False,
            "date_deadline": deadline and fields.Datetime.to_datetime(deadline),
            "user_ids": [(6, 0, membership.pm_id.ids)],
        }
        if origin == "portal":
            vals.update(
                coop_request_state="accepted",
                coop_tariff_accepted_date=now,
                coop_rso_accepted_date=now if rso else False,
            )
        elif rso:
            vals.update(
                coop_request_state="rso_pending",
                coop_rso_auto_accept_date=today + relativedelta(days=membership.regulation_id.rso_accept_days),
            )
        else:
            vals.update(coop_request_state="confirmed")
        task = self.sudo().create(vals)
        if origin == "pm":
            task._coop_send_request_confirmation()
        return task

    def _coop_send_request_confirmation(self):
        """The confirmation of a request registered by the PM, to the agents with the
        projects right (SPEC 7.3), in the member's language; with an RSO (art. 5.2) its
        text and the link to accept it on the portal, where it is shown too."""
        for task in self:
            membership = task.project_id.coop_membership_id
            member_env = membership._coop_member_env()
            body = Markup("<p>%s</p>") % member_env._('Your Project Manager registered the request "%s".', task.name)
            if task.coop_rso:
                url = f"{task.get_base_url()}/my/membership/{membership.id}/work#coop-task-{task.id}"
                body += Markup(
                    "<p>%s</p><div class='o_coop_rso' style='padding-left: 8px'>%s</div><p><a href='%s'>%s</a></p>"
                ) % (
                    member_env._(
                        "It comes with these specific operating rules (RSO, art. 5.2), accepted by default on "
                        "%(date)s unless you react:",
                        date=format_date(member_env, task.coop_rso_auto_accept_date),
                    ),
                    plaintext2html(task.coop_rso),
                    url,
                    member_env._("Read and accept the rules on your portal"),
                )
            if task.coop_estimate_amount:
                # art. 4.7: the PM's estimate in amount, in the member's language and format
                currency = task.coop_currency_id
                lang = task.coop_membership_id.partner_id.lang or self.env.lang
                env = self.with_context(lang=lang).env
                body += " " + env._(
                    "Estimate: %(amount)s VAT excluded; it is indicative, the time billed may reach %(max)s "
                    "(art. 4.7).",
                    amount=format_amount(env, task.coop_estimate_amount, currency, lang_code=lang),
                    max=format_amount(env, task.coop_estimate_max_amount, currency, lang_code=lang),
                )
            # SPEC 7.3: requests go to the agents with the projects right
            membership._coop_send_notice("projects", right="projects", record=task, subject=task.name, body=body)

    def action_coop_confirm_pm_request(self):
        """The PM registers a task of a member project as the member's request: the member
        gets the confirmation and, with an RSO, 5 days to react."""
        today = fields.Date.context_today(self)
        for task in self:
            if not task.coop_membership_id or task.coop_request_state:
                raise UserError(self.env._("Only a new task of a member project can be confirmed as a request."))
            task.coop_membership_id._coop_check_may_request(today)
            task.write(
                {
                    "coop_request_origin": "pm",
                    "coop_request_state": "rso_pending" if task.coop_rso else "confirmed",
                    "coop_rso_auto_accept_date": today
                    + relativedelta(days=task.coop_membership_id.regulation_id.rso_accept_days)
                    if task.coop_rso
                    else False,
                    "date_deadline": task.date_deadline
                    or fields.Datetime.to_datetime(self._coop_request_deadline(task.coop_membership_id, today))
                    or False,
                }
            )
        self._coop_send_request_confirmation()

    def action_coop_accept_rso(self):
        self.env.user.partner_id._coop_check_projects_right()
        pending = self.filtered(lambda t: t.coop_request_state == "rso_pending")
        if pending != self:
            raise UserError(self.env._("Only a request waiting for its RSO acceptance can be accepted."))
        pending.write({"coop_request_state": "accepted", "coop_rso_accepted_date": fields.Datetime.now()})

    @api.model
    def _cron_coop_accept_rso(self):
        """Art. 5.2: an RSO is accepted by default 5 days after the PM's confirmation."""
        today = fields.Date.context_today(self)
        tasks = self.search([("coop_request_state", "=", "rso_pending"), ("coop_rso_auto_accept_date", "<=", today)])
        run_in_batches(tasks, lambda task: task.coop_request_state == "rso_pending" and task.action_coop_accept_rso())
