from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero, format_amount

#: the PM is warned once what is left of the funded balance falls to this share of it
FUNDED_WARNING_SHARE = 0.2
#: the mediation service of ROI art. 11.3.2
DEFAULT_MEDIATOR = "Brussels Business Mediation Center (bMediation)"


class CoopMembership(models.Model):
    """Funded work ("risk 0", the project-marketplace seed; SPEC 4.3): a member paying by
    prepayments (art. 6.1) whose work proceeds only on the amount it funded. The funded
    amount is held on the prepayments received account (460000) until the member
    releases it on delivery; a dispute on it goes to mediation (art. 11.3.2)."""

    _inherit = "coop.membership"

    coop_funded_work = fields.Boolean(
        "Funded work (risk 0)",
        tracking=True,
        help="Prepayment mode only: work is accepted up to the amount the member funded, the prepayments "
        "are held until the member releases them on delivery, and disputes go to mediation (art. 11.3.2).",
    )
    coop_funded_balance = fields.Monetary(
        "Funded and held",
        compute="_compute_coop_funded",
        help="Prepayments received and not released nor refunded yet (posted entries on 460000).",
    )
    coop_funded_committed = fields.Monetary(
        "Work to pay from it",
        compute="_compute_coop_funded",
        help="Service invoices not released yet and the work not invoiced yet, VAT included.",
    )
    coop_funded_left = fields.Monetary(
        "Funded balance left",
        compute="_compute_coop_funded",
        help="What new work may still use: the funded amount less the work already done on it.",
    )

    @api.constrains("coop_funded_work")
    def _check_coop_funded_work(self):
        """Set on a member paying by prepayments; should it later pay by direct debit, the
        rules of funded work stop applying (``_coop_is_funded``)."""
        for membership in self:
            if membership.coop_funded_work and membership.coop_payment_mode != "prepayment":
                raise ValidationError(
                    self.env._(
                        "%s: funded work (risk 0) needs the prepayment mode (art. 6.1).", membership.display_name
                    )
                )

    def _coop_is_funded(self):
        self.ensure_one()
        return self.coop_funded_work and self.coop_payment_mode == "prepayment"

    def _compute_coop_funded(self):
        for membership in self:
            if membership.id and membership._coop_is_funded():
                figures = membership._coop_funded_figures()
            else:
                figures = {"funded": 0.0, "committed": 0.0, "left": 0.0}
            membership.coop_funded_balance = figures["funded"]
            membership.coop_funded_committed = figures["committed"]
            membership.coop_funded_left = figures["left"]

    def _coop_open_service_invoices(self):
        """Posted service invoices of the member not settled yet (oldest first)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("coop_is_prepayment", "=", False),
                    ("coop_is_service_invoice", "=", True),
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date, id",
            )
        )

    def _coop_with_service_tax(self, untaxed):
        """``untaxed`` with the VAT of the service invoice (the work service's taxes, mapped
        by the member's fiscal position), in the currency's rounding."""
        self.ensure_one()
        currency = self.currency_id
        if float_is_zero(untaxed, precision_rounding=currency.rounding):
            return 0.0
        company = self.company_id
        product = self.env.ref("coop_24pm_timesheet_billing.product_coop_service_work", raise_if_not_found=False)
        taxes = product.sudo().taxes_id._filter_taxes_by_company(company) if product else self.env["account.tax"]
        fiscal_position = (
            self.env["account.fiscal.position"].sudo().with_company(company)._get_fiscal_position(self.partner_id)
        )
        taxes = fiscal_position.map_tax(taxes) if fiscal_position else taxes
        if not taxes:
            return currency.round(untaxed)
        return currency.round(taxes.compute_all(untaxed, currency=currency)["total_included"])

    def _coop_funded_figures(self):
        """The funded balance from the posted books: the prepayments received on 460000
        less what was released, applied or refunded (``_coop_get_prepayment_available``);
        the work paid from it: the open service invoices and the work not invoiced yet."""
        self.ensure_one()
        currency = self.currency_id
        funded = self._coop_get_prepayment_available()
        invoiced = sum(self._coop_open_service_invoices().mapped("amount_residual"))
        uninvoiced = self._coop_with_service_tax(self.sudo()._get_uninvoiced_amount())
        committed = currency.round(invoiced + uninvoiced)
        return {"funded": funded, "committed": committed, "left": currency.round(funded - committed)}

    def _coop_funded_rule(self):
        return self.env._(
            "Funded work (risk 0, art. 6.1): work proceeds only on the amount the member funded by prepayments."
        )

    def _coop_serialize_funded(self):
        """Two transactions checking the same funded balance at once (two timesheets, two
        releases) must not both pass on the same money: each writes the member's row, so
        the second waits for the first and, under Odoo's repeatable read, fails with a
        serialization error that Odoo retries with the first one's work visible."""
        if self:
            self.env.cr.execute(
                SQL("UPDATE coop_membership SET write_date = write_date WHERE id IN %s", tuple(self.ids))
            )

    def _coop_check_funded_work(self, what):
        """Refuse ``what`` (new work) beyond the funded balance; warn the PM when what is
        left comes near the end of it."""
        funded = self.filtered(lambda m: m._coop_is_funded())
        funded._coop_serialize_funded()
        for membership in funded:
            figures = membership._coop_funded_figures()
            rounding = membership.currency_id.rounding
            if float_compare(figures["left"], 0.0, precision_rounding=rounding) < 0:
                raise ValidationError(
                    self.env._(
                        "%(rule)s %(what)s for %(member)s would exceed its funded balance: %(funded)s funded, "
                        "%(committed)s of work on it. Ask the member to fund more first.",
                        rule=membership._coop_funded_rule(),
                        what=what,
                        member=membership.partner_id.display_name,
                        funded=format_amount(self.env, figures["funded"], membership.currency_id),
                        committed=format_amount(self.env, figures["committed"], membership.currency_id),
                    )
                )
            limit = membership.currency_id.round(figures["funded"] * FUNDED_WARNING_SHARE)
            if float_compare(figures["left"], limit, precision_rounding=rounding) <= 0:
                membership._coop_warn_funded(figures)

    def _coop_warn_funded(self, figures):
        """An activity for the PM (once while it is open): the funded balance is nearly used."""
        self.ensure_one()
        pm = self.pm_id or self.am_id or self.env.user
        pm_env = self._coop_user_env(pm)
        summary = pm_env._("Funded balance nearly used")
        if self.sudo().activity_ids.filtered(lambda a: a.summary == summary):
            return
        self.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            user_id=pm.id,
            summary=summary,
            note=pm_env._(
                "%(left)s left of the %(funded)s funded by %(member)s (risk 0): ask for a new prepayment "
                "before more work is done.",
                left=format_amount(pm_env, figures["left"], self.currency_id),
                funded=format_amount(pm_env, figures["funded"], self.currency_id),
                member=self.partner_id.display_name,
            ),
        )

    # ------------------------------------------------------------------
    # the prepayments are held until the member releases them
    # ------------------------------------------------------------------
    def _coop_apply_prepayments(self, invoices=None):
        if self.env.context.get("coop_funded_release"):
            return super()._coop_apply_prepayments(invoices)
        held = self.filtered(lambda m: m._coop_is_funded())
        return super(CoopMembership, self - held)._coop_apply_prepayments(invoices)

    def _coop_check_release(self, amount):
        self.ensure_one()
        currency = self.currency_id
        if not self._coop_is_funded():
            raise UserError(
                self.env._("%s does not work on funded work (risk 0): there is nothing to release.", self.display_name)
            )
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(self.env._("The amount to release must be positive."))
        self._coop_serialize_funded()
        funded = self._coop_get_prepayment_available()
        if float_compare(amount, funded, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "%(rule)s %(amount)s cannot be released: only %(funded)s is funded.",
                    rule=self._coop_funded_rule(),
                    amount=format_amount(self.env, amount, currency),
                    funded=format_amount(self.env, funded, currency),
                )
            )

    def action_coop_release_funded(self, amount, released_by=None):
        """On delivery the member releases ``amount`` of its funded balance to 24PM: an
        entry from 460000 to the receivable settles its open service invoices (oldest
        first, never a disputed amount). Returns the posted entries. Art. 4.6: an agent
        releases with the finance right only."""
        self.ensure_one()
        (released_by or self.env.user).partner_id._coop_check_right("finance", self._coop_no_finance_message())
        currency = self.currency_id
        amount = currency.round(amount or 0.0)
        self._coop_check_release(amount)
        invoices = self._coop_open_service_invoices()
        due = currency.round(sum(invoice._coop_get_undisputed_residual() for invoice in invoices))
        if float_compare(amount, due, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s cannot be released: the delivered work invoiced and not disputed amounts to %(due)s.",
                    amount=format_amount(self.env, amount, currency),
                    due=format_amount(self.env, due, currency),
                )
            )
        moves = self.env["account.move"]
        left = amount
        for invoice in invoices:
            part = min(left, invoice._coop_get_undisputed_residual())
            if float_compare(part, 0.0, precision_rounding=currency.rounding) <= 0:
                continue
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            label = self.env._("Funded amount released for %s (risk 0)", invoice.name)
            moves |= self._coop_prepayment_transfer_move(part, label, receivable[:1].account_id, receivable)
            left = currency.round(left - part)
            if float_is_zero(left, precision_rounding=currency.rounding):
                break
        self.message_post(
            body=self.env._(
                "%(amount)s of the funded balance released on delivery by %(user)s.",
                amount=format_amount(self.env, amount, currency),
                user=(released_by or self.env.user).name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return moves

    def action_coop_open_funded_release(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.funded.release.wizard",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Release the funded amount"),
            "context": {"default_membership_id": self.id},
        }


class CoopFundedReleaseWizard(models.TransientModel):
    _name = "coop.funded.release.wizard"
    _description = "Release of a funded amount"

    membership_id = fields.Many2one("coop.membership", required=True, readonly=True)
    currency_id = fields.Many2one(related="membership_id.currency_id")
    funded = fields.Monetary(related="membership_id.coop_funded_balance", string="Funded and held")
    amount = fields.Monetary("Amount released", required=True)

    def action_release(self):
        self.ensure_one()
        self.membership_id.action_coop_release_funded(self.amount)
        return {"type": "ir.actions.act_window_close"}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _coop_check_funded(self):
        memberships = self.sudo().filtered(lambda line: line.project_id and not line.coop_is_package).coop_membership_id
        memberships._coop_check_funded_work(self.env._("This time"))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._coop_check_funded()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if self.WORK_FIELDS.intersection(vals) and not self.env.context.get("coop_billing_internal"):
            self._coop_check_funded()
        return res


class ProjectTask(models.Model):
    _inherit = "project.task"

    @api.model_create_multi
    def create(self, vals_list):
        """A new request or task in the projects of a member on funded work: refused when
        nothing funded is left (risk 0)."""
        Project = self.env["project.project"].sudo()
        for vals in vals_list:
            membership = Project.browse(vals.get("project_id")).coop_membership_id
            if membership and membership._coop_is_funded():
                figures = membership._coop_funded_figures()
                if float_compare(figures["left"], 0.0, precision_rounding=membership.currency_id.rounding) <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(rule)s Nothing funded is left for %(member)s (%(funded)s funded, %(committed)s "
                            "of work on it): new work can be requested once the member funds more.",
                            rule=membership._coop_funded_rule(),
                            member=membership.partner_id.display_name,
                            funded=format_amount(self.env, figures["funded"], membership.currency_id),
                            committed=format_amount(self.env, figures["committed"], membership.currency_id),
                        )
                    )
        tasks = super().create(vals_list)
        tasks.sudo().coop_membership_id._coop_check_funded_work(self.env._("This request"))
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
            estimate = membership._coop_with_service_tax(task.coop_estimate_amount)
            figures = membership._coop_funded_figures()
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


class CoopInvoiceDispute(models.Model):
    """A dispute on funded work goes to mediation (ROI art. 11.3.2: the Brussels Business
    Mediation Center); the mediator's decision releases the disputed funded amount to
    24PM or refunds it to the member, within the amount funded."""

    _inherit = "coop.invoice.dispute"

    coop_on_funded_work = fields.Boolean("On funded work", compute="_compute_coop_on_funded_work")
    mediation_state = fields.Selection(
        [("none", "No mediation"), ("ongoing", "In mediation"), ("decided", "Decided")],
        "Mediation (art. 11.3.2)",
        default="none",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    mediator = fields.Char("Mediator", tracking=True, copy=False)
    mediation_date_start = fields.Date("Mediation started on", tracking=True, copy=False)
    mediation_date_decision = fields.Date("Mediator's decision on", tracking=True, copy=False)
    mediation_decision = fields.Text("Mediator's decision", tracking=True, copy=False)
    mediation_release_amount = fields.Monetary("Released to 24PM", tracking=True, copy=False)
    mediation_refund_amount = fields.Monetary("Refunded to the member", tracking=True, copy=False)
    mediation_move_ids = fields.Many2many(
        "account.move", "coop_dispute_mediation_move_rel", string="Entries of the decision", readonly=True, copy=False
    )

    @api.depends("membership_id.coop_funded_work", "membership_id.coop_payment_mode", "invoice_id")
    def _compute_coop_on_funded_work(self):
        for dispute in self:
            dispute.coop_on_funded_work = bool(
                dispute.membership_id
                and dispute.membership_id._coop_is_funded()
                and dispute.invoice_id.coop_is_service_invoice
            )

    def _coop_check_funded_dispute(self):
        for dispute in self:
            if not dispute.coop_on_funded_work:
                raise UserError(
                    self.env._(
                        "%s is not on funded work (risk 0): the mediation of art. 11.3.2 rules here only on "
                        "funded amounts. Answer it with reasons (art. 6.3).",
                        dispute.display_name,
                    )
                )

    def action_coop_start_mediation(self, mediator=None, date=None):
        """Art. 11.3.2: the parties first go to mediation (in French)."""
        self._coop_check_funded_dispute()
        if self.filtered(lambda d: d.mediation_state != "none" or d.state == "accepted"):
            raise UserError(self.env._("Only a dispute not settled and not in mediation yet can go to mediation."))
        for dispute in self:
            dispute.write(
                {
                    "mediation_state": "ongoing",
                    "mediator": mediator or dispute.mediator or DEFAULT_MEDIATOR,
                    "mediation_date_start": date or dispute.mediation_date_start or fields.Date.context_today(self),
                }
            )
        return True

    def action_coop_apply_mediation_decision(self):
        """The staff's button: the decision as entered on the dispute."""
        self.ensure_one()
        self.action_coop_mediation_decide(
            self.mediation_release_amount,
            self.mediation_refund_amount,
            self.mediation_decision,
            self.mediation_date_decision,
        )
        return True

    def _coop_dispute_persists(self):
        """A dispute the mediator decided is settled (art. 11.3.2)."""
        return super()._coop_dispute_persists() and self.mediation_state != "decided"

    def action_coop_mediation_decide(self, release_amount, refund_amount, decision, date=None):
        """Record the mediator's decision on the disputed amount: ``release_amount`` goes to
        24PM (460000 to the receivable, settling the invoice), ``refund_amount`` back to the
        member (a credit note of the invoice and 460000 to the member's payable). Together
        they are the disputed amount, within the funded balance."""
        self.ensure_one()
        self._coop_check_funded_dispute()
        if self.mediation_state != "ongoing":
            raise UserError(self.env._("Record the start of the mediation (art. 11.3.2) before its decision."))
        if not (decision or "").strip():
            raise UserError(self.env._("Give the mediator's decision."))
        membership = self.membership_id.sudo()
        currency = self.currency_id
        rounding = currency.rounding
        release_amount = currency.round(release_amount or 0.0)
        refund_amount = currency.round(refund_amount or 0.0)
        if (
            float_compare(release_amount, 0.0, precision_rounding=rounding) < 0
            or float_compare(refund_amount, 0.0, precision_rounding=rounding) < 0
        ):
            raise UserError(self.env._("The amounts of the mediator's decision cannot be negative."))
        total = currency.round(release_amount + refund_amount)
        if float_compare(total, self.amount, precision_rounding=rounding) != 0:
            raise UserError(
                self.env._(
                    "The mediator decides on the whole disputed amount (%(disputed)s): %(released)s released and "
                    "%(refunded)s refunded make %(total)s.",
                    disputed=format_amount(self.env, self.amount, currency),
                    released=format_amount(self.env, release_amount, currency),
                    refunded=format_amount(self.env, refund_amount, currency),
                    total=format_amount(self.env, total, currency),
                )
            )
        funded = membership._coop_get_prepayment_available()
        if float_compare(total, funded, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "Art. 11.3.2 and risk 0: the mediation rules only on the amount funded (%(funded)s), not on "
                    "%(total)s.",
                    funded=format_amount(self.env, funded, currency),
                    total=format_amount(self.env, total, currency),
                )
            )
        # the dispute is settled by the decision: its amount is no longer held out of the invoice
        self.write(
            {
                "state": "accepted" if not float_is_zero(refund_amount, precision_rounding=rounding) else "rejected",
                "answer": decision,
                "date_answer": date or fields.Date.context_today(self),
                "mediation_state": "decided",
                "mediation_decision": decision,
                "mediation_date_decision": date or fields.Date.context_today(self),
                "mediation_release_amount": release_amount,
                "mediation_refund_amount": refund_amount,
            }
        )
        invoice = self.invoice_id.sudo()
        moves = self.env["account.move"]
        if not float_is_zero(refund_amount, precision_rounding=rounding):
            credit_note = self._coop_mediation_credit_note(refund_amount)
            payable = membership.partner_id.with_company(membership.company_id).property_account_payable_id
            moves |= credit_note
            moves |= membership._coop_prepayment_transfer_move(
                refund_amount,
                self.env._("Funded amount refunded after mediation on %s (art. 11.3.2)", invoice.name),
                payable,
            )
        if not float_is_zero(release_amount, precision_rounding=rounding):
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            moves |= membership._coop_prepayment_transfer_move(
                release_amount,
                self.env._("Funded amount released after mediation on %s (art. 11.3.2)", invoice.name),
                receivable[:1].account_id,
                receivable,
            )
        self.mediation_move_ids = [Command.link(move.id) for move in moves]
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return moves

    def _coop_mediation_credit_note(self, amount):
        """A posted credit note of ``amount`` (VAT included) on the disputed invoice, with
        its income account and taxes, reconciled with it."""
        invoice = self.invoice_id.sudo()
        currency = invoice.currency_id
        line = invoice.invoice_line_ids.filtered(lambda rec: rec.display_type == "product")[:1]
        ratio = invoice.amount_untaxed / invoice.amount_total if invoice.amount_total else 1.0
        untaxed = currency.round(amount * ratio)
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "ref": self.env._("Mediation on %s (art. 11.3.2)", invoice.name),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._("Refund decided by the mediator (art. 11.3.2)"),
                                "quantity": 1,
                                "price_unit": untaxed,
                                "account_id": line.account_id.id,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                            }
                        )
                    ],
                }
            )
        )
        # the VAT rounds the total: the untaxed amount that gives the decision to the cent
        line_note = credit_note.invoice_line_ids
        totals = set()
        for step in (0.0, 0.01, -0.01, 0.02, -0.02):
            line_note.price_unit = currency.round(untaxed + step)
            if float_compare(credit_note.amount_total, amount, precision_rounding=currency.rounding) == 0:
                break
            totals.add(credit_note.amount_total)
        else:
            below = max((t for t in totals if t < amount), default=0.0)
            above = min((t for t in totals if t > amount), default=0.0)
            raise UserError(
                self.env._(
                    "With its VAT, no credit note amounts to %(amount)s: the nearest are %(below)s and %(above)s. "
                    "Record the mediator's decision with one of them.",
                    amount=format_amount(self.env, amount, currency),
                    below=format_amount(self.env, below, currency),
                    above=format_amount(self.env, above, currency),
                )
            )
        credit_note._coop_post()
        lines = (invoice.line_ids | credit_note.line_ids).filtered(
            lambda rec: rec.account_id.account_type == "asset_receivable" and not rec.reconciled
        )
        lines.reconcile()
        return credit_note


class CoopMembershipFundedDemo(models.Model):
    _inherit = "coop.membership"

    @api.model
    def _coop_demo_funded_work(self, regulation_id, pm_id, employee_id):
        """Demo data: a member on funded work (risk 0) concluded through its application,
        1,500.00 prepaid and received, two service invoices: the first released on
        delivery, the second disputed and in mediation (art. 11.3.2); the rest of the
        funded balance is left for new work."""
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415 (demo only)

        today = fields.Date.context_today(self)
        start = today - relativedelta(months=2)
        partner = self.env["res.partner"].create(
            {
                "name": "Studio Zéro Risque SRL",
                "vat": "BE0417500074",
                "is_company": True,
                "street": "Rue de la Loi 42",
                "zip": "1040",
                "city": "Etterbeek",
                "country_id": self.env.ref("base.be").id,
                "email": "contact@demo-zero-risque.be",
                "lang": "fr_BE",
            }
        )
        application = self.env["coop.membership.application"].create(
            {
                "partner_id": partner.id,
                "regulation_id": regulation_id,
                "company_id": self.env.company.id,
                "credit_score": 80.0,
                "coop_payment_mode": "prepayment",
                "prepayment_amount": 1500.0,
                "prepayment_frequency": "quarterly",
            }
        )
        if application.acceptance == "pending":
            application.action_accept()
        application.action_send_contract()
        application.action_sign(start, "Lucie Janssens", "Gérante", True)
        application.action_conclude(start)
        membership = application.membership_id
        membership.write({"pm_id": pm_id, "coop_payment_mode": "prepayment", "coop_funded_work": True})
        membership.action_activate()
        self.env["res.partner"]._coop_create_agent(
            partner, "Lucie Janssens", "agent@demo-zero-risque.be", True, True, True, False, "portal"
        )
        project = self.env["project.project"].create(
            {
                "name": "Studio - web shop (risk 0)",
                "coop_membership_id": membership.id,
                "coop_product_id": self.env.ref("coop_24pm_timesheet_billing.product_coop_service_work").id,
                "allow_timesheets": True,
                "user_id": pm_id,
            }
        )
        prepayment = membership.action_invoice_prepayment()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=prepayment.ids
        ).create({"payment_date": start})._create_payments()
        task = self.env["project.task"].create({"name": "Web shop", "project_id": project.id})
        Line = self.env["account.analytic.line"]
        Run = self.env["coop.billing.run"]
        invoices = self.env["account.move"]
        for weeks, minutes in ((6, 240), (1, 180)):
            day = today - relativedelta(weeks=weeks)
            Line.create(
                {
                    "name": "Development",
                    "task_id": task.id,
                    "project_id": project.id,
                    "employee_id": employee_id,
                    "unit_amount": minutes / 60.0,
                    "date": day,
                }
            )
            run = Run._create_for_members(membership, date=day)
            run.action_process_now()
            invoices |= run.line_ids.move_id
        first, second = invoices.sorted("id")[:1], invoices.sorted("id")[1:2]
        if first:
            membership.action_coop_release_funded(first.amount_residual)
        if second:
            dispute = self.env["coop.invoice.dispute"].create(
                {
                    "invoice_id": second.id,
                    "invoice_ref": second.name,
                    "amount": membership.currency_id.round(second.amount_total / 2),
                    "subject": "The payment module delivered does not handle Bancontact as agreed.",
                    "channel": "portal",
                }
            )
            dispute.action_coop_start_mediation()
        return membership
