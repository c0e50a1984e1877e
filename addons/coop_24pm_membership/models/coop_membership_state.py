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
    def _coop_refusal(self, kind, on_date=None):
        """SPEC 7.4: why the member may not, on ``on_date`` (today by default), file a request
        or be given new work (``kind`` "request") or have time logged on its projects
        ("work"), or False when it may (``_coop_refusals``). Work done before a suspension may still
        be logged, and in notice until an end date is fixed; a manager may override a refused
        time with a recorded reason (see account.analytic.line)."""
        self.ensure_one()
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        suspension = self.suspension_id
        if self.state in SERVING_STATES:
            return False
        if self.state == "notice" and (on_date <= self.date_end if self.date_end else kind == "work"):
            return False
        if self.state == "suspended" and kind == "work" and suspension.date_suspended:
            if on_date < suspension.date_suspended:
                return False
        return self._coop_refusals()[self.state if self.state in ("suspended", "notice") else "other"][kind]

    def _coop_refusals(self):
        """SPEC 7.4 "requests and new work" / "timesheets on its projects", the table of
        refusals: for a state that refuses them ("other": neither is possible), why the member
        may not file a request or get new work ("request"), or have time logged ("work")."""
        self.ensure_one()
        suspension = self.suspension_id
        args = {
            "ref": self.name,
            "member": self.partner_id.display_name,
            "state": self._coop_state_label(),
            "date": suspension.date_suspended if self.state == "suspended" else self.date_end,
            "reason": suspension.suspension_reason or self.env._("no reason recorded"),
        }
        return {
            "suspended": {
                "request": self.env._(
                    "%(member)s is suspended since %(date)s (%(reason)s): no new request or work until the "
                    "suspension is lifted.",
                    **args,
                ),
                "work": self.env._(
                    "%(member)s is suspended since %(date)s (%(reason)s): time on its projects is refused unless a "
                    "manager records why.",
                    **args,
                ),
            },
            "notice": {
                "request": self.env._(
                    "The contract of %(member)s ends on %(date)s: no new request or work after that date.", **args
                ),
                "work": self.env._(
                    "The contract of %(member)s ended on %(date)s: no time may be logged after it.", **args
                ),
            },
            "other": {
                "request": self.env._(
                    "The membership %(ref)s of %(member)s is %(state)s: requests and work are possible only for an "
                    "active member.",
                    **args,
                ),
                "work": self.env._(
                    "The membership %(ref)s of %(member)s is %(state)s: time may be logged only for an active member.",
                    **args,
                ),
            },
        }

    def _coop_request_refusal(self, on_date=None):
        """Why no request or new work (``_coop_refusal``); other addons add their reasons (a
        credit line exceeded)."""
        return self._coop_refusal("request", on_date)

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
        return self._coop_refusal("work", on_date)

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
