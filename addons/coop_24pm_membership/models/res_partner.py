import logging

from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from .coop_membership_application import OPEN_APPLICATION_STATES
from .coop_rules import normalize_vat

_logger = logging.getLogger(__name__)

# e-invoice formats by the member's country (SPEC 7.6); other countries: the PDF by e-mail
COOP_EINVOICE_FORMATS = {"BE": "ubl_bis3", "DE": "xrechnung", "NL": "nlcius"}
# SPEC 7.6: the language of a member's documents, from its country when none is given
COUNTRY_LANGS = {"BE": "fr_BE", "FR": "fr_BE", "LU": "fr_BE", "NL": "nl_BE"}
#: FAQ: the legal fields of a member company follow VIES; only a manager changes them by hand
COOP_LEGAL_FIELDS = ("name", "vat", "street", "street2", "zip", "city", "state_id", "country_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    coop_membership_ids = fields.One2many("coop.membership", "partner_id", "Memberships")
    coop_application_ids = fields.One2many("coop.membership.application", "partner_id", "Membership applications")
    coop_share_line_ids = fields.One2many("coop.share.line", "partner_id", "Register entries")
    coop_b_shares = fields.Integer("B shares held", compute="_compute_coop_b_shares")
    coop_status = fields.Selection(
        [
            ("prospect", "Prospect"),
            ("applicant", "Applicant"),
            ("member", "Member"),
            ("affiliate", "Affiliate"),
            ("former", "Former member"),
        ],
        "Cooperative status",
        compute="_compute_coop_status",
        store=True,
        index=True,
    )
    coop_membership_id = fields.Many2one(
        "coop.membership", "Current membership", compute="_compute_coop_status", store=True
    )
    is_coop_prospect = fields.Boolean("Prospect", help="Has a free account without a plan.")
    coop_not_incorporated = fields.Boolean(
        "Company not yet incorporated", help="May join without VAT number; give it once the company exists."
    )
    coop_vies_date = fields.Date("Checked with VIES on", readonly=True)
    coop_legal_readonly = fields.Boolean(
        "Legal data follow VIES",
        compute="_compute_coop_legal_readonly",
        help="The legal name and address of a member follow VIES: only a manager of the cooperative changes them.",
    )
    # agents (art. 4.6): a portal user who is a contact of the member company
    coop_right_finance = fields.Boolean("Finance right", help="Invoices, payments, shares, guarantee.")
    coop_right_projects = fields.Boolean("Projects right", help="Requests, tasks, timesheets.")
    coop_right_agents = fields.Boolean("Manage agents", help="May create other agents for the member.")
    coop_agent_limits = fields.Text("Limits of the mandate")
    coop_limit_request_amount = fields.Float(
        "Amount limit per request",
        help="Art. 4.6: the largest amount (in the cooperative's currency) this agent may commit in one request "
        "from the portal (a guarantee top-up, a plan's contribution); 0 = no limit.",
    )
    # SPEC 2.4, art. 4.6: THE predicate of each right, read by the record rules, the
    # controllers, the models and the mails alike (the ``coop_right_*`` fields above are
    # the mandate as recorded; these say whether the person holds the right)
    coop_has_finance_right = fields.Boolean("May see the finances", compute="_compute_coop_rights")
    coop_has_projects_right = fields.Boolean("May manage the projects", compute="_compute_coop_rights")
    coop_has_agents_right = fields.Boolean("May manage the agents", compute="_compute_coop_rights")

    @api.depends(
        "coop_right_finance", "coop_right_projects", "coop_right_agents", "commercial_partner_id", "user_ids.share"
    )
    def _compute_coop_rights(self):
        for partner in self:
            partner.coop_has_finance_right = partner._coop_has_right("finance")
            partner.coop_has_projects_right = partner._coop_has_right("projects")
            partner.coop_has_agents_right = partner._coop_has_right("agents")

    def _coop_has_right(self, right):
        """Art. 4.6: does this person act for its company with ``right`` ("finance",
        "projects", "agents")? The company itself and 24PM's staff (internal users) hold
        every right; an agent holds the rights of its mandate."""
        self.ensure_one()
        if self == self.commercial_partner_id:
            return True
        if self.user_ids and not all(self.user_ids.mapped("share")):
            return True
        return bool(self[f"coop_right_{right}"])

    def _coop_check_right(self, right, message):
        """Art. 4.6: refuse what needs ``right`` ("finance", "projects", "agents") when this
        person does not hold it, with ``message``: the models call it, so that every path
        (portal, e-mail link, back office) obeys the same predicate."""
        self.ensure_one()
        if not self[f"coop_has_{right}_right"]:
            raise UserError(message)

    def _coop_check_amount_limit(self, amount, currency, what):
        """Art. 4.6: refuse a request of ``amount`` beyond the agent's recorded limit."""
        self.ensure_one()
        limit = self.coop_limit_request_amount
        if limit and currency.compare_amounts(amount, limit) > 0:
            raise UserError(
                self.env._(
                    "%(what)s of %(amount)s exceeds the limit of your mandate (%(limit)s per request): ask an agent "
                    "of %(company)s with a wider mandate.",
                    what=what,
                    amount=format_amount(self.env, amount, currency),
                    limit=format_amount(self.env, limit, currency),
                    company=self.commercial_partner_id.display_name,
                )
            )

    @api.depends(
        "coop_membership_ids.state",
        "coop_membership_ids.membership_type",
        "coop_application_ids.state",
        "is_coop_prospect",
    )
    def _compute_coop_status(self):
        for partner in self:
            memberships = partner.coop_membership_ids.sorted(lambda m: (m.date_application, m.id), reverse=True)
            current = memberships.filtered(lambda m: m.state != "terminated")[:1]
            partner.coop_membership_id = current
            if current.is_member:
                partner.coop_status = "affiliate" if current.membership_type == "affiliate" else "member"
            elif partner.coop_application_ids.filtered(lambda a: a.state in OPEN_APPLICATION_STATES):
                # issue 15: an application in progress (the membership exists from its conclusion)
                partner.coop_status = "applicant"
            elif memberships.filtered(lambda m: m.date_registered):
                partner.coop_status = "former"
            elif partner.is_coop_prospect:
                partner.coop_status = "prospect"
            else:
                partner.coop_status = False

    @api.depends("is_company", "coop_status")
    @api.depends_context("uid")
    def _compute_coop_legal_readonly(self):
        is_manager = self.env.user.has_group("coop_24pm_membership.group_coop_manager")
        for partner in self:
            partner.coop_legal_readonly = not is_manager and partner._coop_has_legal_data_from_vies()

    def _coop_has_legal_data_from_vies(self):
        """A member (or affiliate) company: its legal fields follow VIES (FAQ)."""
        self.ensure_one()
        return self.is_company and self.coop_status in ("member", "affiliate")

    def _coop_check_legal_fields_write(self, vals):
        """FAQ: staff without the manager right cannot change the legal name and address
        of a member by hand (they follow VIES); nothing is written."""
        fields_changed = set(COOP_LEGAL_FIELDS) & set(vals)
        if not fields_changed or self.env.su or not self.env.user._is_internal():
            return
        if self.env.user.has_group("coop_24pm_membership.group_coop_manager"):
            return
        for partner in self.filtered(lambda p: p._coop_has_legal_data_from_vies()):
            for name in fields_changed:
                field = partner._fields[name]
                if field.convert_to_write(partner[name], partner) != (vals[name] or False):
                    raise UserError(
                        self.env._(
                            "The legal name and address of %(member)s follow VIES (FAQ): only a manager of the "
                            "cooperative may change %(field)s by hand; use Update from VIES.",
                            member=partner.display_name,
                            field=field.get_description(self.env)["string"],
                        )
                    )

    def _coop_apply_vies_values(self, vals):
        """Write what VIES returned; returns [(label, before, after)] of the legal fields
        that changed."""
        self.ensure_one()
        changes = []
        for name in COOP_LEGAL_FIELDS:
            if name in vals and name != "vat" and (self[name] or "") != (vals[name] or ""):
                label = self._fields[name].get_description(self.env)["string"]
                changes.append((label, self[name], vals[name]))
        self.sudo().write(vals)
        return changes

    @api.model
    def _coop_get_join_lang(self, country, given=False):
        """The language of a member's documents and e-mails when it joins (SPEC 7.6), from
        its country: fr_BE in Belgium (nl_BE when the language given is Dutch), France and
        Luxembourg, nl_BE in the Netherlands; elsewhere the language given, else en_US.
        A French or Dutch language given is read as Belgian French or Dutch. Only
        installed languages are returned; staff may change it afterwards."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        country_code = (country.code or "").upper()
        candidates = []
        if given and (given[:2] in ("fr", "nl") or country_code not in COUNTRY_LANGS):
            candidates.append(given)
            candidates += [code for code in ("fr_BE", "nl_BE") if code[:2] == given[:2]]
        candidates += [COUNTRY_LANGS.get(country_code, "en_US"), "en_US"]
        return next((code for code in candidates if code in installed), installed[0] if installed else False)

    @api.onchange("country_id")
    def _onchange_country_id_coop_lang(self):
        """A new company's language follows its country, as at join; staff may change it."""
        if self.is_company and not self._origin.id and self.country_id:
            self.lang = self._coop_get_join_lang(self.country_id)

    @api.depends("coop_share_line_ids.quantity_signed", "coop_share_line_ids.share_class_id")
    def _compute_coop_b_shares(self):
        """The B shares the company holds in the register (all its entries, of its current
        and earlier contracts): recomputed as soon as an entry is written (issue 15: a
        buy-back at termination left the count stale in the cache)."""
        b_class = self.env.ref("coop_24pm_membership.share_class_b", raise_if_not_found=False)
        holdings = self.env["coop.share.line"]._get_holdings(partners=self, share_class=b_class) if b_class else {}
        for partner in self:
            partner.coop_b_shares = holdings.get((partner.id, b_class.id), 0) if b_class else 0

    def _coop_check_can_join(self):
        """SPEC 2.1.6-8: only companies (legal or natural persons with enterprise status),
        with a valid VAT number unless not yet incorporated."""
        for partner in self:
            if not partner.is_company:
                raise ValidationError(
                    self.env._(
                        "%s is an individual: only companies (legal persons, or natural persons with an "
                        "enterprise number) can become members of 24PM.",
                        partner.display_name,
                    )
                )
            partner._coop_check_vat_or_not_incorporated()

    def _coop_check_vat_or_not_incorporated(self):
        """SPEC 2.1.7-8: a valid VAT (enterprise) number, unless not yet incorporated."""
        for partner in self:
            if partner.vat:
                partner._coop_normalized_vat()
            elif not partner.coop_not_incorporated:
                raise ValidationError(
                    self.env._(
                        "%s has no VAT number: give its VAT or enterprise number, or mark the company as "
                        "not yet incorporated.",
                        partner.display_name,
                    )
                )

    def _coop_normalized_vat(self):
        self.ensure_one()
        try:
            return normalize_vat(self.vat, self.country_id.code)
        except ValueError:
            raise ValidationError(
                self.env._(
                    "The VAT number %(vat)s of %(name)s is not valid. A Belgian enterprise number looks like "
                    "BE0123456749 or 0123.456.749.",
                    vat=self.vat,
                    name=self.display_name,
                )
            ) from None

    @api.constrains("vat")
    def _check_coop_vat(self):
        for partner in self.filtered(lambda p: p.vat and p.coop_membership_ids):
            partner._coop_normalized_vat()

    @api.constrains("invoice_edi_format_store", "invoice_sending_method", "peppol_eas", "peppol_endpoint")
    def _check_coop_peppol_enterprise_number(self):
        """SPEC 7.6: a Belgian member is reached on Peppol by its enterprise number (scheme 0208)."""
        for partner in self.filtered(lambda p: p.is_company and p.coop_membership_ids and p.country_code == "BE"):
            if partner.invoice_edi_format in self._get_peppol_formats() or partner.invoice_sending_method == "peppol":
                partner._coop_check_peppol_endpoint()

    def _coop_check_peppol_endpoint(self):
        self.ensure_one()
        issue = self._coop_peppol_endpoint_issue()
        if issue:
            raise ValidationError(issue)

    def _coop_peppol_endpoint_issue(self):
        """Why this company cannot be reached over Peppol, or False (SPEC 7.6)."""
        self.ensure_one()
        number = self.peppol_endpoint or ""
        if self.country_code == "BE":
            if self.peppol_eas == "0208" and be_vat.is_valid(number):
                return False
            return self.env._(
                "%(name)s cannot receive e-invoices over Peppol: a Belgian company is reached by its enterprise "
                "number (scheme 0208, 10 digits with valid check digits), and %(number)s is not one. Give its "
                "VAT or enterprise number first.",
                name=self.display_name,
                number=number or self.env._("it has none"),
            )
        if not (self.peppol_eas and number) or self._build_error_peppol_endpoint(self.peppol_eas, number):
            return self.env._("%s has no valid Peppol identifier.", self.display_name)
        return False

    def _coop_einvoice_values(self):
        """SPEC 7.6: the e-invoice format a member company gets when it joins.

        A Belgian company with a valid enterprise number: Peppol BIS Billing 3.0 over
        Peppol; a German or Dutch one with a Peppol identifier: its country's Peppol
        format; anyone else (or a company without a VAT number yet): the PDF by e-mail.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        edi_format = COOP_EINVOICE_FORMATS.get(partner.country_code)
        if not edi_format or not partner.vat or partner._coop_peppol_endpoint_issue():
            return {"invoice_edi_format": False, "invoice_sending_method": "email"}
        return {"invoice_edi_format": edi_format, "invoice_sending_method": "peppol"}

    def _coop_einvoice_channel(self):
        """SPEC 7.6: how the company's invoices leave, in words: as Peppol e-invoices in its
        format, or as a PDF by e-mail to its agents with the finance right."""
        self.ensure_one()
        formats = dict(self._fields["invoice_edi_format"]._description_selection(self.env))
        edi_format = self.invoice_edi_format
        if not (edi_format and self.invoice_sending_method == "peppol"):
            return self.env._("PDF by e-mail to the finance agents")
        identifier = f"{self.peppol_eas}:{self.peppol_endpoint}" if self.peppol_endpoint else "-"
        if self.peppol_verification_state == "valid":
            return self.env._("%(format)s over Peppol (%(id)s)", format=formats.get(edi_format), id=identifier)
        if self.peppol_verification_state == "not_valid":
            return self.env._(
                "%(format)s expected, but %(id)s is not on the Peppol network: PDF by e-mail to the finance agents",
                format=formats.get(edi_format),
                id=identifier,
            )
        return self.env._(
            "%(format)s over Peppol (%(id)s), checked on the network at the first sending",
            format=formats.get(edi_format),
            id=identifier,
        )

    @api.model
    def _coop_late_partners(self, partners=None):
        """Commercial partners (among ``partners``, else all) with a posted customer invoice
        past its due date and not paid."""
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", fields.Date.context_today(self)),
                    *([("commercial_partner_id", "in", partners.ids)] if partners is not None else []),
                ],
                ["commercial_partner_id"],
            )
        )
        return self.browse([partner.id for (partner,) in groups])

    def _coop_set_einvoice_format(self):
        """Give each member company its e-invoice format when it joins, unless staff chose
        one (a decision of the joining, whoever concludes it: staff or the online journey)."""
        for partner in self.commercial_partner_id.sudo():
            if partner.invoice_edi_format:
                continue
            partner.write(partner._coop_einvoice_values())

    def _coop_recipients(self, right=None):
        """SPEC 7.3: who receives a message for this member company; THE one place that decides.

        - ``"finance"`` (invoices, fees, debits, guarantee, disputes): the company's invoice
          contacts (``type='invoice'`` children, which every agent with the finance right is,
          see ``_coop_sync_invoice_contact``);
        - ``"projects"`` (requests, estimates, RSO, rate changes): the agents with the
          projects right;
        - ``None`` / ``"all"`` (regulation changes, formal notices, suspension, termination,
          the joining journey): every agent (contact of the company with a login);

        plus the company's own address when it has one. Only partners with an e-mail address
        are returned: an empty result means that nobody can be reached.
        """
        if right not in (None, "all", "finance", "projects"):
            raise ValueError(f"Unknown right {right!r}")
        company = self.commercial_partner_id
        contacts = company.sudo().child_ids.filtered("active")
        agents = contacts.filtered(lambda c: c.user_ids)
        if right == "finance":
            people = contacts.filtered(lambda c: c.type == "invoice") | agents.filtered("coop_has_finance_right")
        elif right == "projects":
            people = agents.filtered("coop_has_projects_right")
        else:
            people = agents
        return (people | company).filtered("email").with_env(self.env)

    def _coop_recipients_to(self, right=None):
        """``_coop_recipients`` as a mail template's ``partner_to`` ("12,34")."""
        return ",".join(str(pid) for pid in self._coop_recipients(right).ids)

    def _coop_sync_invoice_contact(self):
        """SPEC 7.3: an agent with the finance right is one of the invoice contacts Odoo
        knows for its company (``type='invoice'``); without the right it is a plain contact
        again. Contacts staff made invoice contacts without a login are left alone."""
        for partner in self.filtered(lambda p: p.parent_id and not p.is_company):
            if partner.coop_right_finance and partner.type == "contact":
                partner.type = "invoice"
            elif not partner.coop_right_finance and partner.type == "invoice" and partner.user_ids:
                partner.type = "contact"

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("coop_right_finance")._coop_sync_invoice_contact()
        return partners

    def write(self, vals):
        self._coop_check_legal_fields_write(vals)
        res = super().write(vals)
        if "coop_right_finance" in vals or ("parent_id" in vals and self.filtered("coop_right_finance")):
            self._coop_sync_invoice_contact()
        if {"coop_right_finance", "coop_right_projects", "coop_right_agents"} & set(vals):
            # the record rules read the rights: their cached domains change
            self.env.registry.clear_cache()
        return res

    @api.model
    def _coop_vies_values(self, vat):
        """SPEC 2.1.7: legal name and address from the EU VIES service for ``vat``.

        Returns the values to write, ``None`` when VIES cannot be reached, and raises
        ``UserError`` when VIES says the number is not an active VAT number.
        """
        try:
            result = eu_vat.check_vies(vat)
        except Exception as exc:  # network, service down: the caller decides
            _logger.info("VIES check of %s failed: %s", vat, exc)
            return None
        if not result["valid"]:
            raise UserError(self.env._("VIES says that %s is not an active VAT number.", vat))
        vals = {"vat": vat, "coop_vies_date": fields.Date.context_today(self), "coop_not_incorporated": False}
        name = (result["name"] or "").strip()
        if name and name != "---":
            vals["name"] = name
        vals.update(self._coop_parse_vies_address(result["address"] or ""))
        return vals

    def action_coop_check_vies(self):
        """Update the legal name and address from VIES; nothing changes when it cannot be reached.
        VIES is the source of the legal data: staff without the manager right may use it;
        the changes of a member are recorded on its membership."""
        self.check_access("write")
        for partner in self:
            vals = self._coop_vies_values(partner._coop_normalized_vat())
            if vals is None:
                raise UserError(self.env._("The VIES service could not be reached; try again later."))
            changes = partner._coop_apply_vies_values(vals)
            if changes and partner.coop_membership_id:
                self.env["coop.vies.sync"]._post_changes(partner.coop_membership_id.sudo(), changes)
        return True

    def _coop_parse_vies_address(self, address):
        """VIES gives 'STREET 1\\n1000 CITY': street on the first line, zip and city on the last."""
        lines = [
            line.strip() for line in address.replace("\r", "").split("\n") if line.strip() and line.strip() != "---"
        ]
        if not lines:
            return {}
        vals = {"street": lines[0]}
        if len(lines) > 1:
            zip_code, _sep, city = lines[-1].partition(" ")
            if zip_code[:1].isdigit():
                vals.update({"zip": zip_code, "city": city.strip()})
            else:
                vals["city"] = lines[-1]
        return vals

    def action_coop_new_membership(self):
        """Apply (or re-join): a new application of this company (issue 15: the membership
        exists from the conclusion of its contract)."""
        self.ensure_one()
        application = self.env["coop.membership.application"].create({"partner_id": self.commercial_partner_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "coop.membership.application",
            "res_id": application.id,
            "view_mode": "form",
        }

    def action_view_coop_memberships(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("coop_24pm_membership.coop_membership_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------
    # personal data (FAQ "Votre compte", SPEC 2.3)
    # ------------------------------------------------------------------
    def _coop_memberships_ever(self):
        """Every membership of this contact's company, whatever its state: "never was a
        member" is a company without any."""
        self.ensure_one()
        return (
            self.env["coop.membership"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", self.commercial_partner_id.id)])
        )

    def _coop_personal_data_refusal(self, on_date=None):
        """Why the personal data of this contact may not be anonymised on ``on_date``
        (a translated sentence), or False. A prospect's may be at once; a member's are
        kept; a former member's until the retention period of the accounting evidence
        (company setting) has passed after the end of its last membership."""
        self.ensure_one()
        memberships = self._coop_memberships_ever()
        if not memberships:
            return False
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        company = self.commercial_partner_id
        current = memberships.filtered(lambda m: m.state != "terminated" or not m.date_end)
        if current:
            return self.env._(
                'FAQ "Votre compte": %(member)s is a member of 24PM; the personal data of its agents and contacts '
                "are kept until the retention period of the accounting evidence has passed after the end of its "
                "membership.",
                member=company.display_name,
            )
        Retention = self.env["coop.personal.data.retention"]
        retention = max(Retention._retention_date(membership) for membership in memberships)
        if on_date < retention:
            return self.env._(
                'FAQ "Votre compte": the accounting evidence of %(member)s is kept %(years)s years after the end of '
                "its membership; the personal data of its agents and contacts cannot be anonymised before %(date)s.",
                member=company.display_name,
                years=memberships[:1].company_id.coop_data_retention_years,
                date=format_date(self.env, retention),
            )
        return False

    def anonymize_partner_data(self):
        """OCA ``privacy_partner_to_be_forgotten``'s anonymisation, refused before the
        retention date of the accounting evidence (FAQ "Votre compte"): the wizard, the
        membership's button and the deletion of a prospect's account all pass here."""
        for partner in self:
            refusal = partner._coop_personal_data_refusal()
            if refusal:
                raise UserError(refusal)
        return super().anonymize_partner_data()
