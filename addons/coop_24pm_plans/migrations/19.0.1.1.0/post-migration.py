"""Plan names in the user's language (issue 22): the 2021 plans were named in French in
every language ("Basique", "Partenaire"). Their data records are noupdate: give the ones
staff did not rename their English name and their French and Dutch translations."""

from odoo import SUPERUSER_ID, api

#: xml id: (old English value, {lang: new value})
PLANS = {
    "plan_basic_2021": ("Basique", {"en_US": "Basic", "fr_BE": "Basique", "nl_BE": "Basis"}),
    "plan_basic_2023": ("Basic", {"en_US": "Basic", "fr_BE": "Basique", "nl_BE": "Basis"}),
    "plan_standard_2021": ("Standard", {"en_US": "Standard", "fr_BE": "Standard", "nl_BE": "Standaard"}),
    "plan_standard_2023": ("Standard", {"en_US": "Standard", "fr_BE": "Standard", "nl_BE": "Standaard"}),
    "plan_partner_2021": ("Partenaire", {"en_US": "Partner", "fr_BE": "Partenaire", "nl_BE": "Partner"}),
    "plan_partner_2023": ("Partner", {"en_US": "Partner", "fr_BE": "Partenaire", "nl_BE": "Partner"}),
    "plan_simple_2023": (
        "Simple Customer Access",
        {"en_US": "Simple Customer Access", "fr_BE": "Accès client simple", "nl_BE": "Eenvoudige klanttoegang"},
    ),
}
PRODUCTS = {
    "product_plan_basic_2021": (
        "Contribution - Basique (ROI 2021)",
        {
            "en_US": "Contribution - Basic (ROI 2021)",
            "fr_BE": "Cotisation - Basique (ROI 2021)",
            "nl_BE": "Bijdrage - Basis (HR 2021)",
        },
    ),
    "product_plan_partner_2021": (
        "Contribution - Partenaire (ROI 2021)",
        {
            "en_US": "Contribution - Partner (ROI 2021)",
            "fr_BE": "Cotisation - Partenaire (ROI 2021)",
            "nl_BE": "Bijdrage - Partner (HR 2021)",
        },
    ),
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    langs = {code for code, _name in env["res.lang"].get_installed()}
    for xmlid, (old, names) in [*PLANS.items(), *PRODUCTS.items()]:
        record = env.ref(f"coop_24pm_plans.{xmlid}", raise_if_not_found=False)
        if not record or record.with_context(lang="en_US").name != old:
            continue
        for lang, name in names.items():
            if lang == "en_US" or lang in langs:
                record.with_context(lang=lang).name = name
