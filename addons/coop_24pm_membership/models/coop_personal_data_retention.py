"""Personal data of former members (FAQ "Votre compte", SPEC 2.3).

24PM keeps the accounting evidence for the period the SPF Finances and the National Bank
recommend (a company setting, 10 years by default); once it has passed after the end of
a membership, the personal data of the former member's agents and contacts are
anonymised with OCA ``privacy_partner_to_be_forgotten`` (accounting entries kept). A
scheduled job lists what is due as activities on the membership; staff confirm each one
(the membership's button). Issue 21: the dates are the end's
(``coop.membership.termination``), the job and its helpers ``coop.personal.data.retention``."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .coop_cron import run_in_batches

ANONYMISED_EMAIL = "%@anonymized.oca"


class CoopPersonalDataRetention(models.AbstractModel):
    """The retention of a former member's personal data, no record: when it ends, the
    weekly job listing what is due, the anonymisation staff confirm."""

    _name = "coop.personal.data.retention"
    _description = "Retention of a former member's personal data"

    @api.model
    def _retention_date(self, membership):
        """The end of ``membership`` plus the company's retention period, or False while it
        is not terminated."""
        return (
            membership.state == "terminated"
            and membership.date_end
            and membership.date_end + relativedelta(years=membership.company_id.coop_data_retention_years)
        )

    @api.model
    def _partners(self, membership):
        """The agents and contacts (persons) of the member company not anonymised yet."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        return Partner.search(
            [
                ("id", "child_of", membership.partner_id.commercial_partner_id.ids),
                ("is_company", "=", False),
                "|",
                ("email", "=", False),
                ("email", "not like", ANONYMISED_EMAIL),
            ]
        )

    @api.model
    def _cron_due(self):
        """FAQ "Votre compte": list the former members whose personal data are due for
        anonymisation, as an activity for staff to confirm (once per membership)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("coop_24pm_membership.mail_activity_coop_personal_data")
        Membership = self.env["coop.membership"].sudo()
        due = Membership.browse()
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all  # every company
            cutoff = today - relativedelta(years=company.coop_data_retention_years)
            due |= Membership.search(
                [("company_id", "=", company.id), ("state", "=", "terminated"), ("date_end", "<=", cutoff)]
            ).filtered(lambda m: not m.termination_id.coop_data_anonymised_date)
        # one activity per former member: on its last membership
        due = Membership.browse(
            [memberships.sorted("date_end")[-1].id for memberships in due.grouped("partner_id").values()]
        )

        def schedule(membership):
            if membership.partner_id._coop_personal_data_refusal(today) or not self._partners(membership):
                return  # a member again, a later membership not yet past its retention, or nothing left
            if membership.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
                return
            user = membership._coop_responsible_user(self._privacy_officer(membership), prefer="am")
            membership.activity_schedule(
                "coop_24pm_membership.mail_activity_coop_personal_data",
                date_deadline=today,
                user_id=user.id,
                summary=self.env._("Personal data due for anonymisation"),
                note=self.env._(
                    "The accounting evidence of %(member)s was kept until %(date)s: anonymise the personal data of "
                    "its agents and contacts (button on the membership).",
                    member=membership.partner_id.display_name,
                    date=format_date(self.env, self._retention_date(membership)),
                ),
            )

        return len(run_in_batches(due, schedule))

    @api.model
    def _privacy_officer(self, membership):
        """Who confirms an anonymisation when the member has neither AM nor PM: a user of
        OCA's anonymisation group, else a cooperative manager (never OdooBot)."""
        for xmlid in (
            "privacy_partner_to_be_forgotten.group_partner_anonymize",
            "coop_24pm_membership.group_coop_manager",
        ):
            users = (
                self.env.ref(xmlid)
                .sudo()
                .user_ids.filtered(
                    lambda u: (
                        not u.share and u.active and not u._is_superuser() and membership.company_id in u.company_ids
                    )
                )
            )
            if users:
                return users[:1]
        return self.env.user

    @api.model
    def _anonymise(self, memberships):
        """Staff confirm: the personal data of the former members' agents and contacts are
        anonymised (OCA ``anonymize_partner_data``); their entries and invoices are kept."""
        if not self.env.user.has_group("privacy_partner_to_be_forgotten.group_partner_anonymize"):
            raise AccessError(self.env._("You don't have permission to anonymize partners."))
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("coop_24pm_membership.mail_activity_coop_personal_data")
        for membership in memberships:
            anonymised = membership.termination_id.coop_data_anonymised_date
            if anonymised:
                raise UserError(
                    self.env._(
                        "The personal data of %(member)s were already anonymised on %(date)s.",
                        member=membership.partner_id.name,
                        date=format_date(self.env, anonymised),
                    )
                )
            refusal = membership.partner_id._coop_personal_data_refusal(today)
            if refusal:
                raise UserError(refusal)
            partners = self._partners(membership)
            for partner in partners:
                partner.anonymize_partner_data()
            membership._coop_termination().coop_data_anonymised_date = today
            membership.activity_ids.filtered(lambda a, t=activity_type: a.activity_type_id == t).action_feedback(
                feedback=self.env._("%s contact(s) anonymised.", len(partners))
            )
            membership.message_post(
                body=self.env._(
                    "Personal data of %(count)s agent(s) and contact(s) anonymised; the accounting entries are kept.",
                    count=len(partners),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
