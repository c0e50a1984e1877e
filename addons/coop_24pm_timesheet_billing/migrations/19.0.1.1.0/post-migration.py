"""The scheduled service invoicing moved from coop.membership to coop.billing.run
(its record is noupdate: point it at the new model and method)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_act_server
           SET model_id = (SELECT id FROM ir_model WHERE model = 'coop.billing.run'),
               code = 'model._cron_coop_service_invoicing()'
         WHERE id = (SELECT cron.ir_actions_server_id
                       FROM ir_cron cron
                       JOIN ir_model_data imd ON imd.res_id = cron.id AND imd.model = 'ir.cron'
                      WHERE imd.module = 'coop_24pm_timesheet_billing'
                        AND imd.name = 'ir_cron_coop_service_invoicing')
        """
    )
