from . import (
    test_annual_commitment,
    test_fault_indemnity,
    test_join_plan,
    test_offers,
    test_plan_catalogue,
    test_plan_change,
    test_plan_rules,
    test_portal,
    test_portal_tour,
    test_strategy_follow_up,
    test_subscription,
    test_upgrade_advice,
)
