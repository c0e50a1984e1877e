# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "24PM Timesheet Billing",
    "summary": "Member projects, group rates, quarter-hour rounding and threshold service invoicing",
    "version": "19.0.1.1.0",
    "category": "Services/Cooperative",
    "author": "24PM",
    "website": "https://24pm.be",
    "license": "AGPL-3",
    "depends": [
        "coop_24pm_plans",
        "coop_24pm_guarantee",
        "hr_timesheet",
        "queue_job",
        # fixed-price packages invoiced on milestones (art. 8.4, SPEC 5.1)
        "sale_project",
    ],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/coop_collaborator_category_data.xml",
        "data/product_data.xml",
        "data/coop_billing_run_data.xml",
        "data/ir_cron_data.xml",
        "data/mis_report_coop_management.xml",
        "data/mis_report_instance_coop_management.xml",
        "views/coop_data_storage_wizard_views.xml",
        "views/coop_insurance_claim_views.xml",
        "views/coop_billing_config_views.xml",
        "views/coop_billing_run_views.xml",
        "views/coop_membership_views.xml",
        "views/coop_membership_settlement_views.xml",
        "views/project_views.xml",
        "views/menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/coop_billing_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "coop_24pm_timesheet_billing/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
