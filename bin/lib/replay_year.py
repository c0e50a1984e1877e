# Run through `odoo-bin shell` by bin/run on a new demo database, built without demo data
# (issue 18: none of Odoo's generic accounting demo, its furniture customers and foreign
# bank accounts, in the cooperative's books). It gives the database what the suite's static
# demo used to: 24PM's own details and one login per kind of person (SPEC 7.7), then
# replays the year of 24PM (coop_24pm_timesheet_billing/replay): COOP_DEMO_MEMBERS members
# (default 40) join, pay, work and leave over COOP_DEMO_DAYS days (default 365) ending
# yesterday, through the suite's own users' actions and scheduled jobs; the portal's demo
# login is then an agent of the first member still active. Each replayed day is committed,
# so an interrupted replay keeps its days; the report of the year is printed at the end.
import os
import re
import sys
import time

from dateutil.relativedelta import relativedelta

from odoo import fields

from odoo.addons.coop_24pm_timesheet_billing.replay import YearReplay

members = int(os.environ.get("COOP_DEMO_MEMBERS", "40"))
days = int(os.environ.get("COOP_DEMO_DAYS", "365"))
# the logins bin/run prints (SPEC 7.7): each lands on its own home, in its language
PORTAL_LOGIN, PORTAL_PASSWORD = "agent@demo-brasserie.be", "portal"
USERS = [
    {
        "name": "Sophie Martin",
        "login": "staff",
        "password": "staff",
        "email": "staff@24pm.example",
        "lang": "fr_BE",
        "groups": [
            "coop_24pm_membership.group_coop_user",
            "account.group_account_invoice",
            "sales_team.group_sale_salesman",
            "project.group_project_user",
        ],
        "home": "coop_24pm_membership.coop_membership_action",
    },
    {
        "name": "Lucas Janssens",
        "login": "accountant",
        "password": "accountant",
        "email": "accountant@24pm.example",
        "lang": "nl_BE",
        "groups": ["account.group_account_manager", "account.group_account_user"],
        "home": "mis_builder.mis_report_instance_view_action",
    },
]
env = globals()["env"]  # given by odoo-bin shell


def cooperative():
    """24PM's own details on a new database's company, the staff's and the accountant's
    logins, and admin's home on the memberships (with the accounting features)."""
    company = env.ref("base.main_company")
    if not company.vat:
        company.write(
            {
                "name": "24PM",
                "coop_legal_form": "SC",
                "vat": "BE0812345603",
                "company_registry": "0812.345.603",
                "street": "Avenue Louise 54",
                "zip": "1050",
                "city": "Ixelles",
                "email": "info@24pm.example",
                "website": "https://24pm.be",
            }
        )
    Users = env["res.users"].with_context(no_reset_password=True)
    for values in USERS:
        if Users.with_context(active_test=False).search_count([("login", "=", values["login"])]):
            continue
        Users.create(
            {
                "name": values["name"],
                "login": values["login"],
                "password": values["password"],
                "email": values["email"],
                "lang": values["lang"] if env["res.lang"]._lang_get(values["lang"]) else "en_US",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "group_ids": [(4, env.ref(xmlid).id) for xmlid in values["groups"]],
                "action_id": env.ref(values["home"]).id,
            }
        )
    env.ref("base.user_admin").write(
        {
            "group_ids": [(4, env.ref("account.group_account_user").id)],
            "action_id": env.ref("coop_24pm_membership.coop_membership_action").id,
        }
    )
    env.cr.commit()


def portal_agent(replay):
    """The portal's demo login: an agent (finance, projects, agents) of the first replayed
    member still active at the year's end, in French."""
    if env["res.users"].with_context(active_test=False).search_count([("login", "=", PORTAL_LOGIN)]):
        return
    living = [p for p in replay.members if p.get("membership") and p["membership"].state == "active"]
    if not living:
        print("    no member is active at the year's end: no portal login")
        return
    partner = living[0]["partner"]
    user = env["res.partner"]._coop_create_agent(
        partner, "Marie Dubois", PORTAL_LOGIN, True, True, True, False, PORTAL_PASSWORD
    )
    user.sudo().lang = "fr_BE" if env["res.lang"]._lang_get("fr_BE") else "en_US"
    env.cr.commit()
    print(f"    member portal: {PORTAL_LOGIN} / {PORTAL_PASSWORD}, agent of {partner.name}")


def serve_pdf_styles():
    """wkhtmltopdf fetches a PDF's styles from Odoo's server (web.base.url) and odoo-bin shell
    serves nothing: the year's contracts, mandates and invoices would be stored without their
    layout. Serve this database over HTTP in this process while the year is replayed."""
    from odoo.service import server as odoo_server  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config["dbfilter"] = f"^{re.escape(env.cr.dbname)}$"
    try:
        odoo_server.server.http_spawn()
    except (AttributeError, OSError) as error:
        port = config["http_port"]
        print(f"    the year's PDFs are rendered without their styles: no HTTP server on port {port} ({error})")


began = time.monotonic()


def progress(day, total):
    env.cr.commit()
    width = 40
    done = width * day // total
    elapsed = time.monotonic() - began
    left = elapsed / day * (total - day)
    sys.stderr.write(
        f"\r    replaying the year [{'#' * done}{'.' * (width - done)}] day {day}/{total}, {elapsed / 60:.0f} min, "
        f"about {left / 60:.0f} min left "
    )
    sys.stderr.flush()


cooperative()
if members:
    serve_pdf_styles()
    # the replayed days end yesterday: the demo opens on the day after the year
    start = fields.Date.context_today(env["res.users"]) - relativedelta(days=days)
    replay = YearReplay(env, start=start, days=days, members=members, seed=18, progress=progress).run()
    env.cr.commit()
    sys.stderr.write("\n")
    print(replay.report())
    failed = {name: issues for name, issues in replay.checks().items() if issues}
    if all(issue.endswith(" exception") for issue in failed.get("notices delivered", ["-"])):
        # a demo has no mail server: Odoo leaves the year's e-mails in exception (the test
        # sends them to a local SMTP catcher and checks their delivery)
        failed.pop("notices delivered")
        print("check 'notices delivered': not judged, the year's e-mails wait in exception (no mail server)")
    for name, issues in failed.items():
        print(f"check '{name}': {len(issues)} discrepancies")
        for issue in issues[:10]:
            print(f"    {issue}")
    portal_agent(replay)
    minutes = (time.monotonic() - began) / 60
    print(f"    the year is replayed in {minutes:.0f} min; checks {'failed' if failed else 'hold'}")
else:
    print("    no replayed year (COOP_DEMO_MEMBERS=0): no member, no portal login")
