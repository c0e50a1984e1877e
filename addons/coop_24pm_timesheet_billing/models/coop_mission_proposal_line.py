import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_amount, format_date
from odoo.tools.mimetypes import guess_mimetype

from .coop_mission_proposal import LINE_STEPS


class CoopMissionProposalLine(models.Model):
    """One collaborator proposed for a member's mission, and the steps of its selection
    (the B2BiZen seed, SPEC 6): the member shortlists it (``proposed`` -> ``interview``),
    then selects it after the interview (``interview`` -> ``selected``); it may decline
    it at either step. A step is decided once, in this order.

    The member sees a partial profile only (``_coop_portal_profile``): first name,
    photo, domains and languages (Odoo's ``hr_skills``), education, category and status
    (art. 4.7) and the hourly rate billed to it; the full name once the collaborator is
    selected and the mission has started (``_coop_identity_shown``). Never the e-mail
    or phone: the member addresses 24PM's collaborators through its PM (art. 8.3)."""

    _name = "coop.mission.proposal.line"
    _description = "Collaborator proposed for a mission"
    _order = "proposal_id, sequence, id"

    proposal_id = fields.Many2one("coop.mission.proposal", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    membership_id = fields.Many2one(related="proposal_id.membership_id", store=True, index=True)
    partner_id = fields.Many2one(related="proposal_id.partner_id", store=True)
    company_id = fields.Many2one(related="proposal_id.company_id", store=True)
    currency_id = fields.Many2one(related="proposal_id.currency_id")
    employee_id = fields.Many2one("hr.employee", "Collaborator", required=True, ondelete="restrict")
    category_id = fields.Many2one(related="employee_id.coop_category_id", string="Category")
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("interview", "Shortlisted, interview"),
            ("selected", "Selected"),
            ("declined", "Declined"),
        ],
        "Step",
        default="proposed",
        required=True,
        readonly=True,
        copy=False,
    )
    decline_reason = fields.Text("Reason of the refusal", readonly=True, copy=False)
    date_decided = fields.Datetime("Last step decided on", readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.partner", "Decided by", readonly=True, copy=False)
    rate_billed = fields.Monetary(
        "Hourly rate billed",
        compute="_compute_rate_billed",
        help="Group rate of the collaborator's category (or purchase price) x (1 + the plan's margin), "
        "on the mission's start date or today if later.",
    )

    _employee_uniq = models.Constraint(
        "UNIQUE(proposal_id, employee_id)", "A collaborator is proposed once for a mission."
    )

    @api.depends("employee_id", "proposal_id.date_start", "proposal_id.task_id", "proposal_id.membership_id")
    def _compute_rate_billed(self):
        for line in self:
            rate = line._coop_rate_billed()
            line.rate_billed = rate or 0.0

    def _coop_rate_billed(self):
        """The hourly rate the member is billed for this collaborator, or None when it
        cannot be priced: the billing's own pricing (``coop.service.pricing._get_hourly_rate_billed``)."""
        self.ensure_one()
        proposal = self.proposal_id
        membership = proposal.membership_id
        if not (membership and self.employee_id):
            return None
        on_date = max(proposal.date_start or fields.Date.context_today(self), fields.Date.context_today(self))
        product = proposal.task_id.coop_product_id or proposal.project_id.coop_product_id
        Pricing = self.env["coop.service.pricing"].sudo()
        return Pricing._get_hourly_rate_billed(membership.sudo(), self.employee_id.sudo(), product, on_date)

    @api.constrains("employee_id", "proposal_id")
    def _check_priced_collaborator(self):
        """Art. 4.7: the member sees the hourly rate of each collaborator proposed."""
        for line in self:
            if not line.employee_id.coop_category_id:
                raise ValidationError(
                    self.env._(
                        "Art. 4.7: %s has no collaborator category: the member could not see the rate billed.",
                        line.employee_id.name,
                    )
                )
            if line._coop_rate_billed() is None:
                raise ValidationError(
                    self.env._(
                        "Art. 4.7: no group rate of %(category)s for the service of %(mission)s: "
                        "the collaborator cannot be proposed.",
                        category=line.employee_id.coop_category_id.name,
                        mission=line.proposal_id.name,
                    )
                )

    def write(self, vals):
        if "employee_id" in vals and self.filtered(lambda line: line.proposal_id.state != "draft"):
            raise UserError(self.env._("The collaborators of a proposal submitted to the member cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # what the member sees (SPEC 6: profiles partly public)
    # ------------------------------------------------------------------
    def _coop_identity_shown(self, today=None):
        """The full name is shown once the collaborator is selected and the mission has
        started (its start date is reached)."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return self.state == "selected" and self.proposal_id.date_start <= today

    @staticmethod
    def _coop_first_name(name):
        return (name or "").split(" ")[0]

    def _coop_display_name_for_member(self, today=None):
        self.ensure_one()
        employee = self.employee_id.sudo()
        return employee.name if self._coop_identity_shown(today) else self._coop_first_name(employee.name)

    def _coop_portal_profile(self, today=None):
        """The profile of the collaborator the member may see, and nothing else: the
        portal renders only this dictionary (portal users cannot read ``hr.employee``)."""
        self.ensure_one()
        employee = self.employee_id.sudo()
        shown = self._coop_identity_shown(today)
        language_type = self.env.ref("hr_skills.hr_skill_type_lang", raise_if_not_found=False)
        skills = employee.current_employee_skill_ids.filtered(lambda s: not s.is_certification)
        languages = skills.filtered(lambda s: s.skill_type_id == language_type)
        education_type = self.env.ref("hr_skills.resume_type_education", raise_if_not_found=False)
        education = employee.resume_line_ids.filtered(lambda r: education_type and r.line_type_id == education_type)
        category = employee.coop_category_id
        photo = False
        if employee.image_128:
            raw = employee.image_128
            data = raw if isinstance(raw, bytes) else raw.encode()
            photo = f"data:{guess_mimetype(base64.b64decode(data))};base64,{data.decode()}"
        return {
            "id": self.id,
            "state": self.state,
            "state_label": dict(self._fields["state"]._description_selection(self.env))[self.state],
            "name": employee.name if shown else self._coop_first_name(employee.name),
            "identity_shown": shown,
            "job_title": employee.job_title if shown else False,
            "photo": photo,
            "domains": (skills - languages).skill_id.mapped("name"),
            "languages": [f"{s.skill_id.name} ({s.skill_level_id.name})" for s in languages],
            "education": education.mapped("name"),
            "category": category.name,
            "status": self.env._("External") if category.is_external else self.env._("24PM team"),
            "rate": self._coop_rate_billed(),
            "decline_reason": self.decline_reason,
        }

    # ------------------------------------------------------------------
    # the member's steps
    # ------------------------------------------------------------------
    def _coop_check_step(self, step):
        """A step is decided once, in order, on a proposal submitted to the member."""
        self.ensure_one()
        step_labels = dict(self._fields["state"]._description_selection(self.env))
        if self.proposal_id.state != "proposed":
            raise UserError(self.env._("The proposal %s is not waiting for your decision.", self.proposal_id.name))
        if step not in LINE_STEPS:
            raise UserError(self.env._("This step of the selection does not exist."))
        if self.state != step:
            raise UserError(
                self.env._(
                    '%(name)s is at the step "%(current)s", not "%(step)s": the steps of the selection are decided '
                    "one after the other, once each.",
                    name=self._coop_display_name_for_member(),
                    current=step_labels[self.state],
                    step=step_labels[step],
                )
            )
        self.proposal_id.membership_id._coop_check_may_request()

    def action_accept_step(self, step, agent=None):
        """The member accepts the step ``step`` the collaborator is at: shortlisted for an
        interview, then selected (booked on the mission)."""
        self.ensure_one()
        (agent or self.env.user.partner_id)._coop_check_projects_right()
        self._coop_check_step(step)
        new_state = LINE_STEPS[step]
        self.write(
            {
                "state": new_state,
                "date_decided": fields.Datetime.now(),
                "decided_by_id": agent.id if agent else self.env.user.partner_id.id,
            }
        )
        task = self.proposal_id.task_id.sudo()
        if new_state == "selected":
            task.write({"coop_mission_employee_ids": [Command.link(self.employee_id.id)]})
        self._coop_step_notify(new_state)
        self.proposal_id._coop_close_if_decided()
        return True

    def action_decline(self, step, reason=None, agent=None):
        """The member declines the collaborator at the step ``step`` it is at."""
        self.ensure_one()
        (agent or self.env.user.partner_id)._coop_check_projects_right()
        self._coop_check_step(step)
        self.write(
            {
                "state": "declined",
                "decline_reason": (reason or "").strip() or False,
                "date_decided": fields.Datetime.now(),
                "decided_by_id": agent.id if agent else self.env.user.partner_id.id,
            }
        )
        self._coop_step_notify("declined", step=step)
        self.proposal_id._coop_close_if_decided()
        return True

    def _coop_step_notify(self, new_state, step=None):
        """Each step notifies: the member's agents (a confirmation in its language), the
        PM (an activity) and the collaborator (a message, the seed: "informé à chaque étape")."""
        self.ensure_one()
        proposal = self.proposal_id
        membership = proposal.membership_id.sudo()
        member_env = membership._coop_member_env()
        pm = membership._coop_responsible_user(self.env.ref("base.user_admin"))
        pm_env = proposal._coop_user_env(pm)
        first_name = self._coop_first_name(self.employee_id.sudo().name)
        full_name = self.employee_id.sudo().name
        mission = proposal.name
        if new_state == "interview":
            subject = member_env._("%(name)s shortlisted for %(mission)s", name=first_name, mission=mission)
            text = member_env._(
                "You shortlisted %(name)s for the mission %(mission)s: your Project Manager organises the interview.",
                name=first_name,
                mission=mission,
            )
            summary = pm_env._("Organise the interview of %s", full_name)
            note = pm_env._(
                "%(member)s shortlisted %(name)s for %(mission)s: organise the interview.",
                member=membership.partner_id.display_name,
                name=full_name,
                mission=mission,
            )
        elif new_state == "selected":
            subject = member_env._("%(name)s selected for %(mission)s", name=first_name, mission=mission)
            text = member_env._(
                "You selected %(name)s for the mission %(mission)s, billed %(rate)s per hour VAT excluded; the "
                "mission starts on %(date)s.",
                name=first_name,
                mission=mission,
                rate=format_amount(member_env, self._coop_rate_billed() or 0.0, membership.currency_id),
                date=format_date(member_env, proposal.date_start),
            )
            summary = pm_env._("Book %(name)s on %(mission)s", name=full_name, mission=mission)
            note = pm_env._(
                "%(member)s selected %(name)s for %(mission)s after the interview.",
                member=membership.partner_id.display_name,
                name=full_name,
                mission=mission,
            )
        else:
            step_label = dict(self._fields["state"]._description_selection(member_env))[step]
            subject = member_env._("%(name)s declined for %(mission)s", name=first_name, mission=mission)
            text = member_env._(
                'You declined %(name)s for the mission %(mission)s at the step "%(step)s".',
                name=first_name,
                mission=mission,
                step=step_label,
            )
            summary = pm_env._("Collaborator declined: %s", full_name)
            note = pm_env._(
                "%(member)s declined %(name)s for %(mission)s. Reason: %(reason)s",
                member=membership.partner_id.display_name,
                name=full_name,
                mission=mission,
                reason=self.decline_reason or pm_env._("none given"),
            )
        proposal._coop_notify_member(subject, text)
        proposal._coop_notify_pm(summary, note)
        collaborator = self.employee_id.sudo().user_id.partner_id
        proposal.sudo().message_post(
            body=Markup("<p>%s</p>") % note,
            partner_ids=collaborator.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
