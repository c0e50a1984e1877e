from odoo import models


class CoopTrackingMixin(models.AbstractModel):
    """Issue 22, the chatter shows meaningful values: a stored computed field that gets its
    first value (when the record is created, or when an addon adds the field to existing
    records) did not change, it started; the chatter would read "None → Prepayments". Its
    later changes are tracked as usual (as ``mail.thread.cc`` extends ``mail.thread``)."""

    _name = "coop.tracking.mixin"
    _inherit = ["mail.thread"]
    _description = "Chatter that tracks changes, not a computed field's first value"

    def _mail_track(self, tracked_fields, initial_values):
        started = {
            fname
            for fname, value in initial_values.items()
            if (field := self._fields.get(fname))
            and field.compute
            and field.store
            and field.type in ("selection", "many2one", "char")
            and not value
        }
        return super()._mail_track(
            tracked_fields, {fname: value for fname, value in initial_values.items() if fname not in started}
        )
