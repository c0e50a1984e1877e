from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

#: the rights of an agent's mandate (art. 4.6): ``res.partner.coop_has_<right>_right``
MANDATE_RIGHTS = ("finance", "projects", "agents")


class ResPartnerAgentMandate(models.Model):
    """Art. 4.6: the member manages its agents itself. Creating an agent's portal user is
    the mandate; an agent holding the management right sets, changes and revokes the
    mandates of the others, and never grants what it does not hold itself."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_right_label(self, right):
        return {
            "finance": self.env._("finance"),
            "projects": self.env._("projects"),
            "agents": self.env._("management of the agents"),
        }[right]

    def _coop_is_agent(self):
        """An agent: a contact of a company with a portal login (not 24PM's staff)."""
        self.ensure_one()
        return bool(self.parent_id and self.user_ids and all(self.user_ids.mapped("share")))

    def _coop_mandate(self):
        """The mandate this agent holds: its rights and limits. Other addons add theirs
        (the projects of the mandate)."""
        self.ensure_one()
        return {
            "finance": self.coop_right_finance,
            "projects": self.coop_right_projects,
            "agents": self.coop_right_agents,
            "limit_amount": self.coop_limit_request_amount,
            "limits": self.coop_agent_limits or "",
        }

    def _coop_mandate_write_vals(self, mandate):
        """The values of ``res.partner`` that record ``mandate``."""
        return {
            "coop_right_finance": bool(mandate.get("finance")),
            "coop_right_projects": bool(mandate.get("projects")),
            "coop_right_agents": bool(mandate.get("agents")),
            "coop_limit_request_amount": mandate.get("limit_amount") or 0.0,
            "coop_agent_limits": mandate.get("limits") or False,
        }

    @api.model
    def _coop_check_mandate_rights(self, mandate):
        """Art. 4.6: a mandate gives at least the finance or the projects right."""
        if not (mandate.get("finance") or mandate.get("projects")):
            raise UserError(self.env._("An agent has at least the finance or the projects right."))

    def _coop_check_grant(self, mandate, company):
        """Art. 4.6: may this person (``self``, the granter) give ``mandate`` to an agent of
        ``company``? Only an agent of that company holding the management right, within
        its own rights and limits; 24PM's staff and the company itself hold them all."""
        self.ensure_one()
        company = company.commercial_partner_id
        if self.commercial_partner_id != company and self._coop_is_agent():
            raise UserError(
                self.env._("You act for another company: you cannot manage the agents of %s.", company.name)
            )
        self._coop_check_right("agents", self.env._("Your mandate does not include managing agents."))
        self._coop_check_mandate_rights(mandate)
        for right in MANDATE_RIGHTS:
            if mandate.get(right) and not self[f"coop_has_{right}_right"]:
                raise UserError(
                    self.env._(
                        "You cannot grant the %(right)s right: your own mandate does not include it.",
                        right=self._coop_right_label(right),
                    )
                )
        limit = mandate.get("limit_amount") or 0.0
        if limit < 0:
            raise UserError(self.env._("The amount limit of a mandate is zero (no limit) or positive."))
        own_limit = self.coop_limit_request_amount if self._coop_is_agent() else 0.0
        currency = company.env.company.currency_id
        if own_limit and (not limit or currency.compare_amounts(limit, own_limit) > 0):
            raise UserError(
                self.env._(
                    "Your mandate is limited to %(limit)s per request: the agent's limit cannot be higher.",
                    limit=format_amount(self.env, own_limit, currency),
                )
            )

    def _coop_check_may_change(self, agent):
        """The granter (``self``) may change or revoke ``agent``'s mandate: an agent of the
        same company, not itself, whose mandate does not exceed its own."""
        self.ensure_one()
        if not agent._coop_is_agent() or agent.commercial_partner_id != self.commercial_partner_id:
            raise UserError(self.env._("This person is not an agent of your company."))
        if agent == self:
            raise UserError(self.env._("You cannot change or revoke your own mandate: ask another agent or 24PM."))
        self._coop_check_grant(agent._coop_mandate(), agent.commercial_partner_id)

    def _coop_set_mandate(self, mandate, granter):
        """Art. 4.6: ``granter`` sets or changes the mandate of this agent; the company's
        agents are told (SPEC 7.3). Nothing changed: nothing written, nothing sent."""
        self.ensure_one()
        granter._coop_check_may_change(self)
        granter._coop_check_grant(mandate, self.commercial_partner_id)
        vals = self._coop_mandate_write_vals(mandate)
        current = self._coop_mandate_write_vals(self._coop_mandate())
        if all(self._coop_same_value(current.get(key), value) for key, value in vals.items()):
            return False
        self.sudo().write(vals)
        self._coop_notify_mandate("changed", granter)
        return True

    @staticmethod
    def _coop_same_value(old, new):
        if isinstance(old, models.BaseModel):
            return set(old.ids) == set(new.ids if isinstance(new, models.BaseModel) else new[0][2])
        return (old or False) == (new or False)

    def _coop_revoke_mandate(self, granter):
        """Art. 4.6: end the mandate: the agent's portal login is archived and its rights
        removed; the agents (the revoked one included) are told first."""
        self.ensure_one()
        if not self.user_ids and self.with_context(active_test=False).user_ids:
            # a second click: the first one revoked the mandate
            raise UserError(self.env._("The mandate of %s is already revoked.", self.name))
        granter._coop_check_may_change(self)
        self._coop_notify_mandate("revoked", granter)
        self.sudo().write(self._coop_mandate_write_vals({}))
        self.user_ids.sudo().write({"active": False})
        return True

    def _coop_mandate_text(self):
        """The mandate in words, for the messages."""
        self.ensure_one()
        mandate = self._coop_mandate()
        rights = [self._coop_right_label(right) for right in MANDATE_RIGHTS if mandate.get(right)]
        text = ", ".join(rights) or self.env._("no right")
        if mandate.get("limit_amount"):
            currency = self.env.company.currency_id
            text += self.env._(
                "; at most %(limit)s per request", limit=format_amount(self.env, mandate["limit_amount"], currency)
            )
        if mandate.get("limits"):
            text += "; " + mandate["limits"]
        return text

    def _coop_notify_mandate(self, what, granter):
        """Tell the company's agents (SPEC 7.3: all of them) that the mandate of this agent
        was ``what`` ("created", "changed", "revoked"), on its current membership."""
        self.ensure_one()
        company = self.commercial_partner_id
        membership = company.sudo().coop_membership_id or company.sudo().coop_membership_ids[:1]
        if not membership:
            return
        agent = self.with_context(lang=company.lang or self.env.lang)
        member_env = agent.env
        values = {"agent": self.name, "granter": granter.name, "mandate": agent._coop_mandate_text()}
        if what == "created":
            body = member_env._("%(granter)s gave a mandate to %(agent)s: %(mandate)s.", **values)
        elif what == "changed":
            body = member_env._("The mandate of %(agent)s was changed by %(granter)s: %(mandate)s.", **values)
        else:
            body = member_env._("The mandate of %(agent)s was revoked by %(granter)s.", **values)
        membership._coop_send_notice("agents", subject=member_env._("24PM: the agents of %s", company.name), body=body)

    def _coop_agent_created(self, granter):
        """The company's agents are told of a new mandate given from the portal."""
        self.ensure_one()
        self._coop_notify_mandate("created", granter)

    @api.model
    def _coop_create_agent(
        self,
        company,
        name,
        email,
        finance=True,
        projects=True,
        agents=False,
        limits=False,
        password=None,
        limit_amount=0.0,
        granter=None,
        mandate=None,
    ):
        """Create the contact and its portal user; returns the user. ``granter``: the
        agent who gives the mandate from the portal (art. 4.6: within its own mandate;
        the company's agents are told); ``mandate``: other addons' limits (projects)."""
        if isinstance(company, int):
            company = self.browse(company)
        email = (email or "").strip().lower()
        if not email or "@" not in email:
            raise UserError(self.env._("Give the agent's e-mail address: it is their login."))
        mandate = dict(
            mandate or {},
            finance=finance,
            projects=projects,
            agents=agents,
            limit_amount=limit_amount or 0.0,
            limits=limits or "",
        )
        if granter:
            granter._coop_check_grant(mandate, company)
        self._coop_check_mandate_rights(mandate)
        existing = self.env["res.users"].sudo().with_context(active_test=False).search([("login", "=", email)])
        if existing.partner_id.commercial_partner_id == company.commercial_partner_id and existing.active:
            # a second click on the form: the first one gave the mandate
            raise UserError(
                self.env._(
                    "%(name)s is already an agent of %(company)s.",
                    name=existing.name,
                    company=company.commercial_partner_id.name,
                )
            )
        if existing:
            raise UserError(self.env._("A user with the login %s already exists.", email))
        contact = self.sudo().create(
            {
                "name": name,
                "email": email,
                "parent_id": company.commercial_partner_id.id,
                "type": "contact",
                **self._coop_mandate_write_vals(mandate),
                "lang": company.lang or self.env.lang,
            }
        )
        vals = {
            "login": email,
            "partner_id": contact.id,
            "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
        }
        if password:
            vals["password"] = password
        user = (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=not password and self.env.context.get("no_reset_password", False))
            .create(vals)
        )
        if granter:
            contact._coop_agent_created(granter)
        return user
