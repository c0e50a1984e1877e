from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .coop_cron import run_in_batches
from .coop_rules import normalize_vat


class ResPartnerVat(models.Model):
    """The company's VAT number (issue 21: the company's, not the membership's): given
    online by a company that joined while being incorporated (SPEC 2.1.8)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    coop_date_vat_reminder = fields.Date(
        "VAT number last asked", readonly=True, copy=False, help="Companies that joined while being incorporated."
    )

    @api.model
    def _coop_normalize_vat(self, vat, country_code=None):
        """``vat`` as stored (country prefix, no separators; Belgium by default), or a
        UserError saying what a valid number looks like."""
        try:
            return normalize_vat(vat, country_code or "BE")
        except ValueError:
            raise UserError(
                self.env._(
                    "%s is not a valid VAT or enterprise number. A Belgian enterprise number looks like "
                    "BE0123456749 or 0123.456.749.",
                    vat or "",
                )
            ) from None

    @api.model
    def _coop_join_give_vat(self, user, vat):
        """SPEC 2.1.8: a company that joined while being incorporated gives its VAT number
        once it exists; VIES fills its legal name and address. Refusals change nothing."""
        person = user.partner_id.sudo()
        company = person.commercial_partner_id
        if not (company.is_company and company.coop_not_incorporated):
            raise UserError(self.env._("Your company's VAT number is already known."))
        person._coop_check_right(
            "finance", self.env._("Only an agent with the finance right can give the company's VAT number.")
        )
        vat = self._coop_normalize_vat(vat, company.country_id.code)
        Partner = self.env["res.partner"].sudo()
        other = Partner.search([("vat", "=", vat), ("is_company", "=", True), ("id", "!=", company.id)], limit=1)
        if other:
            raise UserError(self.env._("%s already uses this VAT number: contact 24PM.", other.name))
        vals = {"vat": vat, "coop_not_incorporated": False}
        vies = Partner._coop_vies_values(vat)  # raises when VIES says the number is not active
        if vies:
            vals.update(vies)
        company.write(vals)
        if company.coop_status in ("member", "affiliate"):
            company._coop_set_einvoice_format()
        company.message_post(body=self.env._("VAT number %(vat)s given online by %(user)s.", vat=vat, user=person.name))
        return company

    @api.model
    def _coop_remind_vat(self):
        """Members that joined while being incorporated are asked for their VAT number
        every ``vat_reminder_days`` of their regulation (30) until they give it (SPEC 2.1.8);
        the e-mail is the membership's journey notice, the date asked the company's."""
        today = fields.Date.context_today(self)
        Membership = self.env["coop.membership"]
        due = Membership.search(
            Domain("partner_id.coop_not_incorporated", "=", True)
            & Membership._coop_state_domain("member")
            & (
                Domain("partner_id.coop_date_vat_reminder", "=", False)
                # reminded again on the day the delay is over
                | self.env["coop.regulation"]._coop_older_than(
                    "partner_id.coop_date_vat_reminder", "vat_reminder_days", fields.Date.add(today, days=1)
                )
            )
        )
        template = self.env.ref("coop_24pm_membership.mail_template_join_vat_reminder")

        def remind(membership):
            membership._coop_send_notice("journey", template)
            membership.partner_id.coop_date_vat_reminder = today

        return len(run_in_batches(due, remind))
