# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the member's projects, service invoices and insurance claims are smart buttons
opening their filtered lists (``coop_project_ids`` and the "Work and billing" list are
gone). The membership form's funded-work view, as stored before this version, is placed
before that list: it would fail the validation of the billing form when that form is
loaded again, before this view is. It is removed here (19.0.1.2.0's step); loading the
module creates it again. No column to drop: ``coop_project_ids`` was a One2many."""

from odoo.addons.coop_24pm_membership import migration_util


def migrate(cr, version):
    if version:
        migration_util.load_script("coop_24pm_timesheet_billing", "19.0.1.2.0", "pre-migration").drop_stale_views(cr)
