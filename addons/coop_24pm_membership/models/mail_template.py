from odoo import api, models

#: the journey's recipients (SPEC 7.3): all the agents and the person who signed online (its
#: application's), all the agents of a member that did not join online
JOURNEY_RECIPIENTS = "object.application_id.coop_partner_to_all or object.coop_partner_to()"
#: SPEC 7.3: the recipients of each template of the suite (``partner_to``), by right
TEMPLATE_RECIPIENTS = {
    "coop_24pm_membership.mail_template_membership_contract": "object.coop_partner_to()",
    "coop_24pm_membership.mail_template_membership_formal_notice": "object.coop_partner_to()",
    "coop_24pm_membership.mail_template_regulation_change": "object.membership_id.coop_partner_to()",
    "coop_24pm_membership.mail_template_join_reminder": JOURNEY_RECIPIENTS,
    "coop_24pm_membership.mail_template_join_vat_reminder": JOURNEY_RECIPIENTS,
    "coop_24pm_membership.mail_template_application_contract": "object.coop_partner_to_all",
    "coop_24pm_membership.mail_template_application_refused_request": "object.coop_partner_to_all",
    "coop_24pm_membership.mail_template_join_invoices": "object.coop_partner_to('finance')",
    "coop_24pm_membership.mail_template_join_active": JOURNEY_RECIPIENTS,
    "coop_24pm_guarantee.mail_template_join_mandate": "object.coop_partner_to('finance')",
    "coop_24pm_guarantee.mail_template_join_mandate_confirmed": "object.coop_partner_to('finance')",
    "coop_24pm_plans.mail_template_plan_change_confirm": "object.membership_id.coop_partner_to()",
}


class MailTemplate(models.Model):
    """SPEC 7.3: the suite's templates are addressed by right (``partner_to``)."""

    _inherit = "mail.template"

    @api.model
    def _coop_sync_recipients(self):
        """Address the suite's templates (``noupdate``) by right on databases installed
        before SPEC 7.3; each addon with templates calls it at its update."""
        for xmlid, expression in TEMPLATE_RECIPIENTS.items():
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if template and template.model not in self.env:
                continue  # its addon is loaded later and calls this again
            partner_to = "{{ " + expression + " }}"
            if template and (template.partner_to != partner_to or template.use_default_to):
                template.sudo().write({"partner_to": partner_to, "use_default_to": False})
