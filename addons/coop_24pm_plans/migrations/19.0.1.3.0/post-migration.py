"""Issue 21.2: recurrences on OCA ``contract``.

* every plan gets its ``contract.template`` (the contribution line and the annual
  membership fee line);
* the members' subscription contracts point to their plan's template.

The contract lines themselves are unchanged (they already carry the recurrence, the
last invoiced date and the next invoice date): the contracts keep invoicing from where
they are, without gap or double billing.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    plans = env["coop.plan"].search([])
    plans._coop_sync_contract_template()
    for membership in env["coop.membership"].search([("contract_id", "!=", False), ("plan_id", "!=", False)]):
        contract = membership.contract_id
        if not contract.contract_template_id:
            contract.contract_template_id = membership.plan_id.contract_template_id
