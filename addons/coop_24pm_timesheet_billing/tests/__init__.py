from . import (
    test_billing_rules,
    test_concurrent_invoicing,
    test_estimates_budgets,
    test_expenses,
    test_invoicing_queries,
    test_missions_storage,
    test_portal,
    test_pricing,
    test_rate_change,
    test_strategy_items,
    test_threshold_invoicing,
    test_work_requests,
)
