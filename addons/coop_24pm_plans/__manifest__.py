# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "24PM Support Plans",
    "summary": "Plan catalogue, subscriptions (OCA contract), plan changes and contribution invoicing",
    "version": "19.0.1.2.0",
    "category": "Services/Cooperative",
    "author": "24PM",
    "website": "https://24pm.be",
    "license": "AGPL-3",
    "depends": ["coop_24pm_membership", "contract", "contract_payment_mode", "calendar"],
    "data": [
        "security/ir.model.access.csv",
        "security/security.xml",
        "data/product_data.xml",
        "data/coop_plan_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/mail_template_recipients_data.xml",
        "views/coop_plan_views.xml",
        "views/res_config_settings_views.xml",
        "views/coop_membership_views.xml",
        "views/portal_templates.xml",
        "views/portal_join_templates.xml",
        "report/report_invoice.xml",
        "report/report_membership_contract.xml",
    ],
    "demo": ["demo/coop_plans_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "coop_24pm_plans/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
