from odoo import fields, models
from odoo.exceptions import UserError


class CoopMembership(models.Model):
    _inherit = "coop.membership"

    coop_project_ids = fields.One2many("project.project", "coop_membership_id", "Projects")

    def action_view_coop_insurance_claims(self):
        """Art. 5.5: the claims caused by the member, and a new one."""
        self.ensure_one()
        xmlid = "coop_24pm_timesheet_billing.coop_insurance_claim_action"
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("membership_id", "=", self.id)]
        action["context"] = {"default_membership_id": self.id}
        return action

    def _get_uninvoiced_amount(self):
        """The next service invoice being built (trust account hook): priced by the
        billing engine (``coop.service.pricing._get_uninvoiced_amount``)."""
        self.ensure_one()
        return self.env["coop.service.pricing"]._get_uninvoiced_amount(self)

    def action_coop_invoice_now(self):
        """Staff: issue the service invoice of these members now, whatever the rhythm
        (``coop.billing.run._invoice_now``)."""
        return self.env["coop.billing.run"]._invoice_now(self)

    # ------------------------------------------------------------------
    # final settlement (SPEC 7.4)
    # ------------------------------------------------------------------
    def _coop_on_terminate(self):
        """SPEC 7.4: the end of a membership settles it. The final invoices come first, so
        that the draws on the guarantee the termination makes see them; then the
        settlement sets off, draws, pays out and records its documents. Applications
        that end before the register (refused, withdrawn) have nothing to settle."""
        members = self.filtered(
            lambda m: m.date_registered and m.termination_id.termination_type in ("notice", "fault")
        )
        settlements = self.env["coop.membership.settlement"]._get_or_create(members)
        settlements._settle_invoices()
        res = super()._coop_on_terminate()
        settlements.action_settle()
        return res

    def action_coop_settle(self):
        """Staff: settle the membership at its end date
        (``coop.membership.settlement._settle_membership``)."""
        self.ensure_one()
        self.env["coop.membership.settlement"]._settle_membership(self)
        return self.action_view_coop_settlement()

    def action_view_coop_settlement(self):
        self.ensure_one()
        settlement = self.env["coop.membership.settlement"]._coop_of(self)
        if not settlement:
            raise UserError(self.env._("%s has no final settlement yet.", self.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership.settlement",
            "res_id": settlement.id,
            "view_mode": "form",
            "name": settlement.name,
        }

    def action_view_coop_service_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Service invoices"),
            "views": [(self.env.ref("account.view_out_invoice_tree").id, "list"), (False, "form")],
            "domain": [("coop_membership_id", "=", self.id), ("coop_is_service_invoice", "=", True)],
            "context": {"default_move_type": "out_invoice"},
        }
