# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, ``coop.membership`` a member again: the payment chosen online and the mandate
signed online are the application's (``membership.application_id.join_payment_choice`` /
``join_mandate_id``); the membership's copies go.

At the end of the update (after coop_24pm_membership's 19.0.1.3.0, which links every
membership to an application, creating a concluded one for a legacy membership):
1. an application without these values takes the membership's (a legacy membership's);
2. the membership's e-mail templates (``noupdate``) read the mandate on the application;
3. the membership's columns are dropped, only once every membership is linked.
"""

from odoo.addons.coop_24pm_membership import migration_util

COLUMNS = ("join_payment_choice", "join_mandate_id")
TEMPLATES = ("mail_template_join_mandate", "mail_template_join_mandate_confirmed")


def copy_to_applications(cr):
    migration_util.copy_to_applications(cr, COLUMNS)


def update_templates(cr):
    migration_util.rewrite_templates(
        cr, "coop_24pm_guarantee", TEMPLATES, [("object.join_mandate_id", "object.application_id.join_mandate_id")]
    )


def drop_columns(cr):
    return migration_util.drop_membership_columns(cr, COLUMNS)


def migrate(cr, version):
    if version:
        copy_to_applications(cr)
        update_templates(cr)
        drop_columns(cr)
