# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the membership form's funded-work view, as stored before this version, is
placed after the "Last service invoice" group of the billing form, which is gone: it would
fail the validation of the billing form when that form is loaded again, before this view
is. It is removed here (19.0.1.2.0's step); loading the module creates it again."""

from odoo.addons.coop_24pm_membership import migration_util


def migrate(cr, version):
    if version:
        migration_util.load_script("coop_24pm_timesheet_billing", "19.0.1.2.0", "pre-migration").drop_stale_views(cr)
