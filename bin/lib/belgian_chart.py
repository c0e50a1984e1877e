# Run through `odoo-bin shell`: give the main company of a new database the Belgian
# chart of accounts for companies (l10n_be "be_comp"). A new database gets Odoo's
# generic chart when `account` is installed; the suite books capital, deposits and
# income on Belgian accounts, so the setup switches it before the addons install.
# Only on a database where the suite is not installed yet (nothing of ours to lose).
company = env.ref("base.main_company")  # noqa: F821 (env is given by odoo-bin shell)
suite = env["ir.module.module"].search([("name", "=", "coop_24pm_membership"), ("state", "=", "installed")])  # noqa: F821
if company.chart_template != "be_comp" and not suite:
    demo = bool(env["ir.module.module"].search_count([("name", "=", "base"), ("demo", "=", True)]))  # noqa: F821
    env["account.chart.template"].try_loading("be_comp", company, install_demo=demo)  # noqa: F821
    env.cr.commit()  # noqa: F821
    print(f"    chart of accounts: be_comp loaded on {company.name} (demo: {demo})")
else:
    print(f"    chart of accounts: {company.chart_template} (unchanged)")
