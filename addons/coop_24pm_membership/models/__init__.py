from . import (
    account_move,
    coop_equity_stake,
    coop_membership,
    coop_pm_change_request,
    coop_regulation,
    coop_regulation_change,
    coop_rules,
    coop_share_class,
    coop_share_line,
    res_company,
    res_config_settings,
    res_partner,
)
