from odoo import fields, models
from odoo.exceptions import UserError


class CoopSignatureMixin(models.AbstractModel):
    """SPEC 2.1 and ROI 2019 art. 3: an e-contract of the company (the membership
    application, the transfer contract) is signed on the portal or on paper by a person
    who gives its name and capacity and states its power to bind the company (whoever
    commits a company without that power is personally liable). The models hold the
    ``date_signed`` and ``signatory_*`` fields; the rule is here, once."""

    _name = "coop.signature.mixin"
    _description = "E-contract signed on the portal or on paper"

    def _coop_signature_vals(self, date_signed, signatory_name, signatory_capacity, has_power):
        """The values recording the signature, or a refusal (nothing written): the name and
        the capacity of the signatory, and the statement of its power to bind."""
        if not (signatory_name or "").strip() or not (signatory_capacity or "").strip():
            raise UserError(self.env._("Give the name and the capacity of the signatory."))
        if not has_power:
            raise UserError(
                self.env._(
                    "The signatory must state that they have the power to bind the company: "
                    "whoever commits a company without that power is personally liable."
                )
            )
        return {
            "state": "signed",
            "date_signed": fields.Date.to_date(date_signed) or fields.Date.context_today(self),
            "signatory_name": signatory_name.strip(),
            "signatory_capacity": signatory_capacity.strip(),
            "signatory_has_power": True,
        }
