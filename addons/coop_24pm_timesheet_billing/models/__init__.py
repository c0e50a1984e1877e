from . import (
    account_analytic_line,
    account_move,
    coop_billing_rules,
    coop_collaborator_category,
    coop_expense,
    coop_group_rate,
    coop_membership,
    coop_regulation,
    coop_task_budget,
    hr_employee,
    project_project,
    project_task,
)
