from . import (
    account_move,
    contract_contract,
    contract_line,
    coop_equity_stake,
    coop_membership,
    coop_membership_application,
    coop_membership_join,
    coop_offer,
    coop_plan,
    coop_plan_change,
    coop_strategy_item,
    res_company,
)
