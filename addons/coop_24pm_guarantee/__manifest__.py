# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "24PM Guarantee and Trust Account",
    "summary": "Guarantee deposits, trust account, SEPA B2B direct debit, late payment and disputes",
    "version": "19.0.0.1.0",
    "category": "Services/Cooperative",
    "author": "24PM",
    "website": "https://24pm.be",
    "license": "AGPL-3",
    "depends": ["coop_24pm_membership", "account_banking_sepa_direct_debit"],
    "data": [],
    "installable": True,
}
