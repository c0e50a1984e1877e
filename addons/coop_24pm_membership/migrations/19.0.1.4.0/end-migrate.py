# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, step 2 (``coop.membership`` a member again).

1. The membership's e-mail templates of the steps before the conclusion (application
   received, contract signed, application refused) are sent by nobody since issue 15 (the
   application has its own): they are ``noupdate``, so Odoo keeps them when they leave the
   data files; they are deleted here.
"""

from odoo import SUPERUSER_ID, api

#: the membership's templates sent by nobody (the application's are
#: ``mail_template_application_join_applied``, ``_join_signed``, ``_refused_request``)
UNUSED_TEMPLATES = ("mail_template_join_applied", "mail_template_join_signed", "mail_template_application_refused")


def delete_unused_templates(cr):
    """Delete the membership's unused templates (and their xmlids); idempotent."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    deleted = env["mail.template"]
    for name in UNUSED_TEMPLATES:
        deleted |= env.ref(f"coop_24pm_membership.{name}", raise_if_not_found=False) or env["mail.template"]
    deleted.unlink()
    return len(deleted)


def migrate(cr, version):
    if version:
        delete_unused_templates(cr)
