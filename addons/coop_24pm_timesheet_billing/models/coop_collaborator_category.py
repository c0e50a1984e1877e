from odoo import fields, models


class CoopCollaboratorCategory(models.Model):
    """Art. 8.3.1: who performs the work, which decides the group rate."""

    _name = "coop.collaborator.category"
    _description = "Collaborator category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_external = fields.Boolean(
        "Billed at purchase price",
        help="Subcontractors and interims: their purchase price plus the member's commercial margin.",
    )

    _code_uniq = models.Constraint("UNIQUE(code)", "A category code must be unique.")
