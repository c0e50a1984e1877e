from odoo import fields, models
from odoo.exceptions import UserError


class CoopStateTransitionMixin(models.AbstractModel):
    """SPEC 7.4: a lifecycle is a ``state`` changed by ``action_*`` methods only, each
    accepting the start states of one small table that tests read (as OCA
    ``account_banking_mandate`` checks its states): a required, read-only, tracked and indexed
    ``state``, not copied. The models set ``_coop_transitions``
    ({"action_x": ("state", ...)}) and call ``_check_transition("action_x")`` first."""

    _name = "coop.state.transition.mixin"
    _description = "Lifecycle changed by actions from their start states"

    #: {"action_x": start states}: each model sets its table
    _coop_transitions = {}

    # each model gives its states and the one it starts in: state = fields.Selection([...], default=...)
    # (a list here would be "overridden" by theirs: Odoo warns; a callable is replaced quietly)
    state = fields.Selection(lambda model: [], required=True, readonly=True, copy=False, tracking=True, index=True)

    def _check_transition(self, action):
        """Refuse ``action`` on a record whose state is not one it starts from."""
        allowed = self._coop_transitions[action]
        for record in self:
            if record.state not in allowed:
                raise UserError(record._coop_transition_refusal(allowed))

    def _coop_transit(self, action, state):
        """``action`` moves the records to ``state``, from the states its table allows."""
        self._check_transition(action)
        self.write({"state": state})
        return True

    def _coop_transition_refusal(self, allowed):
        """The refusal's message: the record, its state and the states the action needs."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(ref)s is in state '%(state)s': this action needs the state %(needed)s.",
            ref=self.display_name,
            state=labels[self.state],
            needed=self.env._(" or ").join(f"'{labels[state]}'" for state in allowed),
        )
