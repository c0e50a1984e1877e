from . import (
    test_balance_sheet,
    test_coop_rules,
    test_einvoice_schematron_runner,
    test_join_abuse,
    test_join_concurrent,
    test_join_online,
    test_membership_lifecycle,
    test_portal_access,
    test_portal_tour,
    test_regulation_change,
    test_share_register,
    test_vat_and_acceptance,
)
