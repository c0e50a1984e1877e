# isort: off
# the mixins first: the models below inherit them
from . import coop_membership_contract_mixin
from . import coop_notice_mixin
from . import coop_signature_mixin
from . import coop_state_transition_mixin
from . import coop_tracking_mixin

# isort: on
from . import (
    account_edi_xml_ubl_bis3,
    account_move,
    account_move_send,
    account_tax,
    coop_cron,
    coop_equity_stake,
    coop_membership,
    coop_membership_affiliation,
    coop_membership_application,
    coop_membership_application_affiliation,
    coop_membership_application_join,
    coop_membership_application_notice,
    coop_membership_notice,
    coop_membership_privacy,
    coop_membership_regulation_history,
    coop_membership_state,
    coop_membership_suspension,
    coop_membership_termination,
    coop_membership_termination_retention,
    coop_membership_transfer,
    coop_membership_vies,
    coop_notice,
    coop_notice_transfer,
    coop_personal_data_export,
    coop_personal_data_retention,
    coop_pm_change_request,
    coop_rate_limit,
    coop_regulation,
    coop_regulation_change,
    coop_regulation_change_history,
    coop_rules,
    coop_share_class,
    coop_share_line,
    coop_vies_sync,
    ir_actions_report,
    mail_activity_mixin,
    mail_template,
    mail_tracking_email,
    mis_report,
    mis_report_instance,
    mis_report_instance_period,
    mis_report_query,
    res_company,
    res_config_settings,
    res_partner,
    res_partner_agent,
    res_partner_vat,
    res_users,
)
