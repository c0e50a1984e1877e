from . import (
    account_banking_mandate,
    account_move,
    coop_debit_rejection,
    coop_guarantee_move,
    coop_invoice_dispute,
    coop_membership,
    coop_membership_join,
    coop_prepayment,
    coop_regulation,
    guarantee_rules,
    res_company,
    res_config_settings,
)
