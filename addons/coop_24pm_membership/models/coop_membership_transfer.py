from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .coop_cron import run_in_batches

#: the start states each action accepts. Tests read this table.
TRANSFER_TRANSITIONS = {
    "action_send": ("draft", "sent"),
    "action_sign": ("sent",),
    "action_apply": ("signed",),
    "action_cancel": ("draft", "sent", "signed"),
}
OPEN_TRANSFER_STATES = ("draft", "sent", "signed")


class CoopMembershipTransfer(models.Model):
    """ROI 2021 art. 3: the transfer contract by which an affiliate under the 2019
    regulation has its existing contract governed by the current regulation.

    An e-contract like the joining one: staff prepare it from the membership, it is sent
    to the member's agents, signed on the portal by an agent holding the management right
    (or on paper, recorded by staff), and the membership is under the new regulation from
    the agreed date. The contract itself continues: its history, its B share (no new
    subscription) and its guarantee (no new call for funds) are kept.
    """

    _name = "coop.membership.transfer"
    _description = "Transfer contract of an affiliate to the current regulation"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "coop.state.transition.mixin",
        "coop.signature.mixin",
    ]
    _coop_transitions = TRANSFER_TRANSITIONS
    _order = "id desc"

    membership_id = fields.Many2one(
        "coop.membership",
        "Membership",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=[("membership_type", "=", "affiliate"), ("state", "!=", "terminated")],
    )
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    old_regulation_id = fields.Many2one(
        "coop.regulation",
        "Current regulation",
        compute="_compute_old_regulation_id",
        store=True,
        readonly=True,
        help="The regulation of the affiliation when the transfer is prepared (ROI 2019).",
    )
    new_regulation_id = fields.Many2one(
        "coop.regulation",
        "New regulation",
        required=True,
        tracking=True,
        domain=[("is_affiliation", "=", False)],
        default=lambda self: self.env["coop.regulation"]._get_current(),
    )
    date_transfer = fields.Date(
        "Under the new regulation from",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("signed", "Signed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
    )
    date_sent = fields.Date("Sent on", readonly=True, copy=False)
    date_signed = fields.Date("Signed on", readonly=True, copy=False, tracking=True)
    signatory_name = fields.Char(copy=False)
    signatory_capacity = fields.Char(copy=False, help="Capacity in which the signatory binds the company.")
    signatory_has_power = fields.Boolean(
        "Power to bind the company",
        copy=False,
        help="Whoever commits a company without the power to do so is personally liable.",
    )
    sign_channel = fields.Selection(
        [("portal", "Signed on the portal"), ("paper", "Signed on paper")], readonly=True, copy=False
    )
    signed_by_user_id = fields.Many2one("res.users", "Signed online by", readonly=True, copy=False)
    date_done = fields.Date("Applied on", readonly=True, copy=False)
    b_shares = fields.Integer(related="membership_id.b_shares", string="B shares kept")

    _one_open_per_membership = models.UniqueIndex(
        "(membership_id) WHERE state IN ('draft', 'sent', 'signed')",
        "This membership already has a transfer contract in progress.",
    )

    @api.depends("membership_id")
    def _compute_old_regulation_id(self):
        for transfer in self:
            if transfer.state in ("draft", False) or not transfer.old_regulation_id:
                transfer.old_regulation_id = transfer.membership_id.regulation_id

    @api.depends("partner_id", "new_regulation_id")
    def _compute_display_name(self):
        for transfer in self:
            transfer.display_name = self.env._(
                "Transfer of %(member)s to %(reg)s",
                member=transfer.partner_id.display_name or "-",
                reg=transfer.new_regulation_id.name or "-",
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for transfer in self:
            transfer.access_url = f"/my/membership/{transfer.membership_id.id}/transfer/{transfer.id}"
        return res

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Transfer contract %s", self.partner_id.display_name)

    @api.model_create_multi
    def create(self, vals_list):
        # refuse before anything is written: only a concluded affiliation under ROI 2019 migrates
        ids = [vals["membership_id"] for vals in vals_list if vals.get("membership_id")]
        self._check_transferable(self.env["coop.membership"].browse(ids))
        return super().create(vals_list)

    @api.model
    def _check_transferable(self, memberships):
        """ROI 2021 art. 3: only an affiliate under the 2019 regulation, whose contract is
        concluded and not terminated, migrates by a transfer contract."""
        for membership in memberships:
            if not membership.regulation_id.is_affiliation:
                raise UserError(
                    self.env._(
                        "ROI 2019 art. 3: only an affiliate under the 2019 regulation migrates by a transfer "
                        "contract; %(member)s is under %(reg)s.",
                        member=membership.partner_id.display_name,
                        reg=membership.regulation_id.name,
                    )
                )
            if membership.state == "terminated":
                raise UserError(
                    self.env._(
                        "ROI 2019 art. 3: the contract of %s is terminated; a former affiliate cannot migrate.",
                        membership.partner_id.display_name,
                    )
                )
            if not membership.is_member:
                raise UserError(
                    self.env._(
                        "ROI 2019 art. 3: the affiliation of %s is not concluded yet; only a concluded "
                        "affiliation migrates.",
                        membership.partner_id.display_name,
                    )
                )

    @api.constrains("membership_id", "new_regulation_id", "date_transfer")
    def _check_new_regulation(self):
        """Art. 3: the affiliate moves to a regulation for members, in force on the date it
        applies from, and not before its affiliation was concluded."""
        for transfer in self.filtered(lambda t: t.state in OPEN_TRANSFER_STATES):
            regulation = transfer.new_regulation_id
            if regulation.is_affiliation:
                raise ValidationError(
                    self.env._(
                        "ROI 2019 art. 3: an affiliate migrates to a regulation for members, not to %s.",
                        regulation.name,
                    )
                )
            if transfer.date_transfer < regulation.date_start:
                raise ValidationError(
                    self.env._(
                        "ROI 2019 art. 3: %(reg)s is in force from %(start)s; the transfer cannot apply from %(date)s.",
                        reg=regulation.name,
                        start=format_date(self.env, regulation.date_start),
                        date=format_date(self.env, transfer.date_transfer),
                    )
                )
            concluded = transfer.membership_id.date_registered
            if concluded and transfer.date_transfer < concluded:
                raise ValidationError(
                    self.env._(
                        "ROI 2019 art. 3: the transfer cannot apply from %(date)s, before the affiliation was "
                        "concluded on %(concluded)s.",
                        date=format_date(self.env, transfer.date_transfer),
                        concluded=format_date(self.env, concluded),
                    )
                )

    # ------------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------------
    @api.model
    def _coop_open_for(self, membership):
        """The transfer contract of ``membership`` in progress, else a new one, in its form."""
        membership.ensure_one()
        self._check_transferable(membership)
        open_transfer = self.search(
            [("membership_id", "=", membership.id), ("state", "in", ("draft", "sent", "signed"))], limit=1
        )
        return (open_transfer or self.create({"membership_id": membership.id}))._get_form_action()

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "res_id": self.id,
            "name": self.display_name,
        }

    def action_send(self):
        """Send the transfer contract to the member's agents (SPEC 7.3: all of them), with the
        link to sign it on the portal."""
        self._check_transition("action_send")
        self._check_transferable(self.membership_id)
        self.write({"state": "sent", "date_sent": fields.Date.context_today(self)})
        for transfer in self:
            member_env = transfer.membership_id._coop_member_env()
            membership = transfer.membership_id
            membership._coop_send_notice(
                "transfer",
                record=transfer,
                subject=member_env._(
                    "24PM: your transfer contract to %s", transfer.new_regulation_id.with_env(member_env).name
                ),
                body=member_env._(
                    "Your affiliation %(ref)s is governed by %(old)s. As agreed, 24PM sends you the transfer "
                    "contract by which it is governed by %(new)s from %(date)s (art. 3). Your B share and your "
                    "guarantee are kept: nothing new is subscribed or invoiced. An agent holding the management "
                    "right signs it on the portal: %(url)s",
                    ref=membership.name,
                    old=transfer.old_regulation_id.with_env(member_env).name,
                    new=transfer.new_regulation_id.with_env(member_env).name,
                    date=format_date(member_env, transfer.date_transfer),
                    url=transfer.get_base_url() + transfer.access_url,
                ),
            )
            membership.message_post(
                body=self.env._(
                    "Transfer contract to %(reg)s sent to the member (ROI 2019 art. 3).",
                    reg=transfer.new_regulation_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_sign(self, date_signed, signatory_name, signatory_capacity, has_power, user=None):
        """Record the signed transfer contract (on the portal by ``user``, or on paper):
        who signed, in which capacity, with the power to bind. It applies at once when its
        date has come, otherwise on that date (scheduled action)."""
        self._check_transition("action_sign")
        if user:
            # it changes the rules of the company's contract, as a notice of termination
            user.partner_id._coop_check_right(
                "agents", self.env._("Only an agent holding the management right signs the transfer contract.")
            )
        self._check_transferable(self.membership_id)
        vals = self._coop_signature_vals(date_signed, signatory_name, signatory_capacity, has_power)
        date_signed = vals["date_signed"]
        self.write(dict(vals, sign_channel="portal" if user else "paper", signed_by_user_id=user.id if user else False))
        for transfer in self:
            body = self.env._(
                "Transfer contract to %(reg)s signed on %(date)s by %(name)s (%(capacity)s).",
                reg=transfer.new_regulation_id.name,
                date=format_date(self.env, date_signed),
                name=transfer.signatory_name,
                capacity=transfer.signatory_capacity,
            )
            transfer.message_post(body=body, subtype_xmlid="mail.mt_note")
            transfer.membership_id.message_post(body=body, subtype_xmlid="mail.mt_note")
            transfer._coop_attach_signed_contract()
        today = fields.Date.context_today(self)
        self.filtered(lambda t: t.date_transfer <= today).action_apply()
        return True

    def action_record_paper_signature(self):
        """Staff record the paper copy signed by the member (the signatory fields of the form)."""
        for transfer in self:
            transfer.action_sign(
                fields.Date.context_today(self),
                transfer.signatory_name,
                transfer.signatory_capacity,
                transfer.signatory_has_power,
            )
        return True

    def _coop_attach_signed_contract(self):
        """The signed transfer contract (PDF) on the transfer and on the membership."""
        self.ensure_one()
        if self.env.context.get("install_mode"):
            return False  # demo data loaded at install: no server to render the PDF's assets yet
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("coop_24pm_membership.action_report_membership_transfer", self.ids)
        )
        name = self.env._("Signed transfer contract %s.pdf", self.partner_id.display_name)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": pdf, "mimetype": "application/pdf", "res_model": model, "res_id": res_id}
                    for model, res_id in ((self._name, self.id), ("coop.membership", self.membership_id.id))
                ]
            )
        )

    def action_apply(self):
        """The membership is under the new regulation from the agreed date: the regulation
        history records it, the chatter and the B share stay, the guarantee held stays (no
        new call for funds; ROI 2019 sets the same guarantee as 2021, and under 2023 the
        guarantee held stays as agreed, refunded 3 months after the exit). The agents
        receive the confirmation in the member's language."""
        self._check_transition("action_apply")
        self._check_transferable(self.membership_id)
        today = fields.Date.context_today(self)
        for transfer in self.filtered(lambda t: t.date_transfer > today):
            raise UserError(
                self.env._(
                    "%(transfer)s applies from %(date)s: the scheduled action applies it on that day.",
                    transfer=transfer.display_name,
                    date=format_date(self.env, transfer.date_transfer),
                )
            )
        for transfer in self:
            membership = transfer.membership_id
            self.env["coop.membership.regulation.history"].sudo()._record(
                membership, transfer.new_regulation_id, transfer.date_transfer, transfer=transfer
            )
            membership.regulation_id = transfer.new_regulation_id
            transfer.write({"state": "done", "date_done": today})
            membership.message_post(
                body=self.env._(
                    "Transfer contract applied: the membership is governed by %(new)s from %(date)s instead of "
                    "%(old)s (ROI 2019 art. 3). Its B share and its guarantee are kept.",
                    new=transfer.new_regulation_id.name,
                    old=transfer.old_regulation_id.name,
                    date=format_date(self.env, transfer.date_transfer),
                ),
                subtype_xmlid="mail.mt_note",
            )
            member_env = transfer.membership_id._coop_member_env()
            membership._coop_send_notice(
                "transfer",
                record=transfer,
                subject=member_env._(
                    "24PM: your contract is governed by %s", transfer.new_regulation_id.with_env(member_env).name
                ),
                body=member_env._(
                    "The transfer contract signed on %(signed)s by %(name)s is recorded: from %(date)s your "
                    "contract %(ref)s is governed by %(new)s instead of %(old)s. Your B share and your guarantee "
                    "are kept.",
                    signed=format_date(member_env, transfer.date_signed),
                    name=transfer.signatory_name,
                    date=format_date(member_env, transfer.date_transfer),
                    ref=membership.name,
                    new=transfer.new_regulation_id.with_env(member_env).name,
                    old=transfer.old_regulation_id.with_env(member_env).name,
                ),
            )
        return True

    def action_cancel(self):
        return self._coop_transit("action_cancel", "cancelled")

    @api.model
    def _cron_apply_due(self):
        """Apply the signed transfer contracts whose date has come (in batches, through the
        same action as the button; one that fails is reported and left for the next run)."""
        today = fields.Date.context_today(self)
        due = self.search([("state", "=", "signed"), ("date_transfer", "<=", today)])

        def apply(transfer):
            if transfer.state == "signed":  # not applied or cancelled meanwhile
                transfer.action_apply()

        return len(run_in_batches(due, apply, lock=lambda t: t.membership_id))
