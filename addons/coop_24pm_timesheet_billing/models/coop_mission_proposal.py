from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

#: the steps of a proposed collaborator, in order: the member accepts the step it is at
#: and the collaborator moves to the next one; declining ends it at any step
LINE_STEPS = {"proposed": "interview", "interview": "selected"}
OPEN_LINE_STATES = tuple(LINE_STEPS)


class CoopMissionProposal(models.Model):
    """The selection of the collaborators of a member's mission (SPEC 6, the B2BiZen seed:
    "une proposition de dossiers sera soumise au donneur d'ordre ... vous serez informé à
    chaque étape"; art. 4.7: the member sees the collaborators of its projects with their
    status, category and hourly rate).

    The PM proposes collaborators for a task of the member's project (one line each);
    the member's agents with the projects right see their partial profile on the portal
    and accept or decline each step of each line (``coop.mission.proposal.line``). Each
    step notifies the agents (SPEC 7.3) and gives the PM an activity. The proposal is
    done once every line is decided; the collaborators selected are booked on the
    mission, and their full name is shown from the mission's start date."""

    _name = "coop.mission.proposal"
    _description = "Collaborators proposed for a member's mission"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char("Mission", required=True, tracking=True)
    task_id = fields.Many2one(
        "project.task",
        "Task of the mission",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('project_id.coop_membership_id', '!=', False)]",
    )
    project_id = fields.Many2one(related="task_id.project_id", store=True, index=True)
    membership_id = fields.Many2one(related="task_id.project_id.coop_membership_id", store=True, index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True, string="Member")
    pm_id = fields.Many2one(related="membership_id.pm_id", string="Project Manager")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    date_start = fields.Date(
        "Mission starts on",
        required=True,
        tracking=True,
        help="The collaborators selected are named to the member from this day (the mission has started).",
    )
    description = fields.Text("Need of the member")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed to the member"),
            ("done", "Selection done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("coop.mission.proposal.line", "proposal_id", "Collaborators proposed", copy=True)
    selected_count = fields.Integer("Selected", compute="_compute_counts")
    open_count = fields.Integer("Still to decide", compute="_compute_counts")

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for proposal in self:
            proposal.selected_count = len(proposal.line_ids.filtered(lambda line: line.state == "selected"))
            proposal.open_count = len(proposal.line_ids.filtered(lambda line: line.state in OPEN_LINE_STATES))

    @api.constrains("task_id")
    def _check_member_task(self):
        for proposal in self:
            if not proposal.task_id.project_id.coop_membership_id:
                raise ValidationError(
                    self.env._("Collaborators are proposed for the task of a member's project only (art. 4.7).")
                )

    # ------------------------------------------------------------------
    # the PM's actions
    # ------------------------------------------------------------------
    def action_propose(self):
        """Submit the collaborators to the member: its agents with the projects right are
        notified (SPEC 7.3) and decide each step on the portal."""
        for proposal in self:
            if proposal.state != "draft":
                raise UserError(self.env._("Only a draft proposal can be submitted to the member."))
            if not proposal.line_ids:
                raise UserError(self.env._("Propose at least one collaborator before submitting it to the member."))
            proposal.membership_id._coop_check_may_request()
        self.write({"state": "proposed"})
        for proposal in self:
            member_env = proposal.membership_id._coop_member_env()
            proposal._coop_notify_member(
                member_env._("Collaborators proposed for %s", proposal.name),
                member_env._(
                    "Your Project Manager proposes %(count)s collaborators for the mission %(mission)s. "
                    "See their profiles and accept or decline each step on your portal.",
                    count=len(proposal.line_ids),
                    mission=proposal.name,
                ),
            )
        return True

    def action_cancel(self):
        for proposal in self:
            if proposal.state not in ("draft", "proposed"):
                raise UserError(self.env._("Only a draft or proposed selection can be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        for proposal in self:
            if proposal.state != "cancelled":
                raise UserError(self.env._("Only a cancelled proposal can be set back to draft."))
        self.write({"state": "draft"})
        self.line_ids.write(
            {"state": "proposed", "decline_reason": False, "date_decided": False, "decided_by_id": False}
        )
        return True

    # ------------------------------------------------------------------
    # notifications (SPEC 7.3, the seed: "informé à chaque étape")
    # ------------------------------------------------------------------
    def _coop_portal_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/my/membership/{self.membership_id.id}/proposal/{self.id}"

    def _coop_notify_member(self, subject, text):
        """The member's agents with the projects right, in the member's language, with
        the link to the proposal on the portal."""
        self.ensure_one()
        member_env = self.membership_id._coop_member_env()
        body = Markup("<p>%s</p><p><a href='%s'>%s</a></p>") % (
            text,
            self._coop_portal_url(),
            member_env._("See the proposal on your portal"),
        )
        return self.membership_id._coop_send_notice(
            "projects", right="projects", record=self, subject=subject, body=body
        )

    def _coop_notify_pm(self, summary, note):
        """An activity for the member's PM (else its AM, else the administrator)."""
        self.ensure_one()
        membership = self.membership_id.sudo()
        user = membership._coop_responsible_user(self.env.ref("base.user_admin"))
        self.sudo().activity_schedule("mail.mail_activity_data_todo", user_id=user.id, summary=summary, note=note)

    def _coop_close_if_decided(self):
        """The selection is done once every collaborator proposed is selected or declined."""
        for proposal in self:
            if proposal.state == "proposed" and not proposal.line_ids.filtered(
                lambda line: line.state in OPEN_LINE_STATES
            ):
                proposal.sudo().write({"state": "done"})
