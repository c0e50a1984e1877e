# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "24PM Support Plans",
    "summary": "Plan catalogue, subscriptions (OCA contract), plan changes and contribution invoicing",
    "version": "19.0.0.1.0",
    "category": "Services/Cooperative",
    "author": "24PM",
    "website": "https://24pm.be",
    "license": "AGPL-3",
    "depends": ["coop_24pm_membership", "contract"],
    "data": [],
    "installable": True,
}
