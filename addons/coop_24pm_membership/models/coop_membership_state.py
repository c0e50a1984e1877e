from odoo import fields, models
from odoo.exceptions import UserError

from .coop_membership import SERVING_STATES

#: SPEC 7.4, column "portal": what an agent may do on the portal in each state.
#: "registered" (= active member, SPEC 2.3) behaves as "active". Tests read this table.
PORTAL_ALL = frozenset(
    {
        "read",
        "journey",
        "pay",
        "dispute",
        "correct_data",
        "give_notice",
        "guarantee_refund",
        "export",
        "request",
        "manage",
    }
)
#: The row "application / contract sent / signed" is the application's (issue 15): its
#: agents follow the online journey and nothing else (``coop.membership.application``).
PORTAL_ACTIONS = {
    "registered": PORTAL_ALL,
    "active": PORTAL_ALL,
    "suspended": frozenset({"read", "pay", "dispute", "correct_data", "give_notice"}),
    "notice": PORTAL_ALL,
    "terminated": frozenset({"read", "pay", "dispute", "guarantee_refund", "export"}),
}

#: SPEC 7.4, column "direct debits": which calls for funds or invoices may be collected
#: ("share", "guarantee", "invoice") in each state; "terminated": until settled. Every
#: state of a membership allows all three: an application (the table's row before the
#: conclusion) has nothing to collect, its joining invoices are issued at its conclusion.
DEBIT_KINDS = {}

DEBIT_ALL = frozenset({"share", "guarantee", "invoice"})


class CoopMembership(models.Model):
    """SPEC 7.4: what a state means. One predicate per concept, used by the portal,
    the request and timesheet hooks, the billing and the direct debits alike."""

    _inherit = "coop.membership"

    def _coop_state_label(self, state=None):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[state or self.state]

    # ------------------------------------------------------------------
    # portal
    # ------------------------------------------------------------------
    def _coop_portal_allows(self, action):
        """SPEC 7.4 "portal": may the member's agents do ``action`` in this state?"""
        self.ensure_one()
        return action in PORTAL_ACTIONS.get(self.state, ())

    def _coop_check_portal_action(self, action):
        """Refuse a portal action the state does not allow, saying why."""
        for membership in self:
            if not membership._coop_portal_allows(action):
                raise UserError(
                    self.env._(
                        "The membership %(ref)s of %(member)s is %(state)s: this action is not possible in this "
                        "state (the portal is read-only%(reason)s).",
                        ref=membership.name,
                        member=membership.partner_id.display_name,
                        state=membership._coop_state_label(),
                        reason=(": " + membership.suspension_id.suspension_reason)
                        if membership.state == "suspended" and membership.suspension_id.suspension_reason
                        else "",
                    )
                )

    # ------------------------------------------------------------------
    # requests and new work, timesheets
    # ------------------------------------------------------------------
    def _coop_request_refusal(self, on_date=None):
        """SPEC 7.4 "requests and new work": why the member may not file a request or be
        given new work on ``on_date`` (today by default), or False when it may. Other
        addons add their reasons (a credit line exceeded)."""
        self.ensure_one()
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        if self.state in SERVING_STATES:
            return False
        if self.state == "notice" and self.date_end and on_date <= self.date_end:
            return False
        if self.state == "suspended":
            return self.env._(
                "%(member)s is suspended since %(date)s (%(reason)s): no new request or work until the "
                "suspension is lifted.",
                member=self.partner_id.display_name,
                date=self.suspension_id.date_suspended,
                reason=self.suspension_id.suspension_reason or self.env._("no reason recorded"),
            )
        if self.state == "notice":
            return self.env._(
                "The contract of %(member)s ends on %(date)s: no new request or work after that date.",
                member=self.partner_id.display_name,
                date=self.date_end,
            )
        return self.env._(
            "The membership %(ref)s of %(member)s is %(state)s: requests and work are possible only for an "
            "active member.",
            ref=self.name,
            member=self.partner_id.display_name,
            state=self._coop_state_label(),
        )

    def _coop_may_request(self, on_date=None):
        self.ensure_one()
        return not self._coop_request_refusal(on_date)

    def _coop_check_may_request(self, on_date=None):
        """Raise the reason why the member may not file a request or get new work."""
        for membership in self:
            reason = membership._coop_request_refusal(on_date)
            if reason:
                raise UserError(reason)

    def _coop_work_refusal(self, on_date):
        """SPEC 7.4 "timesheets on its projects": why no time may be logged for the member on
        ``on_date``, or False. Work done before a suspension may still be logged; a
        manager may override with a recorded reason (see account.analytic.line)."""
        self.ensure_one()
        on_date = fields.Date.to_date(on_date)
        if self.state in SERVING_STATES:
            return False
        if self.state == "notice" and (not self.date_end or on_date <= self.date_end):
            return False
        if self.state == "suspended":
            date_suspended = self.suspension_id.date_suspended
            if date_suspended and on_date < date_suspended:
                return False
            return self.env._(
                "%(member)s is suspended since %(date)s (%(reason)s): time on its projects is refused unless a "
                "manager records why.",
                member=self.partner_id.display_name,
                date=self.suspension_id.date_suspended,
                reason=self.suspension_id.suspension_reason or self.env._("no reason recorded"),
            )
        if self.state == "notice":
            return self.env._(
                "The contract of %(member)s ended on %(date)s: no time may be logged after it.",
                member=self.partner_id.display_name,
                date=self.date_end,
            )
        return self.env._(
            "The membership %(ref)s of %(member)s is %(state)s: time may be logged only for an active member.",
            ref=self.name,
            member=self.partner_id.display_name,
            state=self._coop_state_label(),
        )

    def _coop_may_work(self, on_date):
        self.ensure_one()
        return not self._coop_work_refusal(on_date)

    # ------------------------------------------------------------------
    # invoicing and direct debits
    # ------------------------------------------------------------------
    def _coop_is_billable(self, kind, on_date):
        """SPEC 7.4 "contribution invoices" / "service invoices": may the period or the work
        of ``on_date`` be invoiced to the member? ``kind``: "contribution" or "service".

        Contribution: the contract runs while registered, active, suspended, and in notice or
        terminated up to the end date. Service: the work of an active member, of a suspended
        one before its suspension, of one in notice up to the end date, and after termination
        the work left (the final invoice)."""
        self.ensure_one()
        on_date = fields.Date.to_date(on_date)
        state = self.state
        if state in SERVING_STATES:
            return True
        if state == "suspended":
            date_suspended = self.suspension_id.date_suspended
            return kind == "contribution" or not date_suspended or on_date < date_suspended
        # notice, terminated: up to the end date
        return not self.date_end or on_date <= self.date_end

    def _coop_may_debit(self, kind):
        """SPEC 7.4 "direct debits": may 24PM collect a ``kind`` ("share", "guarantee",
        "invoice") from this member now?"""
        self.ensure_one()
        return kind in DEBIT_KINDS.get(self.state, DEBIT_ALL)
