# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "24PM Guarantee and Trust Account",
    "summary": "Guarantee deposits, trust account, SEPA B2B direct debit, late payment and disputes",
    "version": "19.0.1.8.0",
    "category": "Services/Cooperative",
    "author": "24PM",
    "website": "https://24pm.be",
    "license": "AGPL-3",
    "depends": [
        "coop_24pm_membership",
        "account_banking_sepa_direct_debit",
        "base_iban",
        # money through the bank (SPEC 7.2)
        "account_banking_sepa_credit_transfer",
        "account_statement_import_camt",
        "account_reconcile_oca",
        "account_payment_return",
        "account_payment_return_import_iso20022",
        # the credit line is the partner's credit limit (SPEC 7.5)
        "account_financial_risk",
        # the member's account statement on the portal (issue 16)
        "partner_statement",
        # the prepayments are a recurring contract line (issue 21)
        "contract",
        # the contracts take the member's payment mode (direct debit or not)
        "contract_payment_mode",
    ],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_join_data.xml",
        "data/mail_template_recipients_data.xml",
        "views/coop_guarantee_views.xml",
        "views/coop_guarantee_move_views.xml",
        "views/coop_invoice_dispute_views.xml",
        "views/coop_guarantee_refund_views.xml",
        "views/coop_membership_views.xml",
        "views/coop_trust_account_views.xml",
        "views/coop_membership_application_views.xml",
        "views/account_move_views.xml",
        "views/account_banking_mandate_views.xml",
        "views/coop_prepayment_account_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "views/portal_templates.xml",
        "views/portal_join_templates.xml",
        "views/report_mandate_templates.xml",
        "report/report_membership_contract.xml",
    ],
    "demo": ["demo/coop_guarantee_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "coop_24pm_guarantee/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
