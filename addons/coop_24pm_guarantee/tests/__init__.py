from . import (
    test_configuration,
    test_direct_debit,
    test_disputes,
    test_guarantee,
    test_guarantee_rules,
    test_join_payment,
    test_late_payment,
    test_portal,
    test_prepayment,
    test_reports_agree,
    test_settings,
    test_trust_account,
)
