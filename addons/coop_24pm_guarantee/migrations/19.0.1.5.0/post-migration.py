# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: the prepayment engine leaves ``coop.membership`` for the member's prepayment
account (``coop.prepayment.account``). Its scheduled action (``noupdate``) is pointed at
the new model and method; run again, it changes nothing."""

from odoo import SUPERUSER_ID, api

CODE = "model._cron_prepayments()"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("coop_24pm_guarantee.ir_cron_prepayments", raise_if_not_found=False)
    if not cron:
        return
    model = env["ir.model"]._get("coop.prepayment.account")
    if cron.model_id != model or cron.code != CODE:
        cron.write({"model_id": model.id, "code": CODE})
