# Run through `odoo-bin shell` by bin/run on a new demo database: the year of 24PM replayed
# (issue 18, coop_24pm_timesheet_billing/replay): COOP_DEMO_MEMBERS members (default 4)
# join, pay, work and leave over the twelve months before today, through the suite's own
# users' actions and scheduled jobs. Each replayed day is committed, so an interrupted
# replay keeps its days; the report of the year is printed at the end.
import os
import sys
import time

from odoo.addons.coop_24pm_timesheet_billing.replay import YearReplay

members = int(os.environ.get("COOP_DEMO_MEMBERS", "4"))
days = int(os.environ.get("COOP_DEMO_DAYS", "365"))
began = time.monotonic()


def progress(day, total):
    env.cr.commit()  # noqa: F821 (env is given by odoo-bin shell)
    width = 40
    done = width * day // total
    elapsed = time.monotonic() - began
    left = elapsed / day * (total - day)
    sys.stderr.write(
        f"\r    replaying the year [{'#' * done}{'.' * (width - done)}] day {day}/{total}, {elapsed / 60:.0f} min, "
        f"about {left / 60:.0f} min left "
    )
    sys.stderr.flush()


replay = YearReplay(env, days=days, members=members, seed=18, progress=progress).run()  # noqa: F821
env.cr.commit()  # noqa: F821
sys.stderr.write("\n")
print(replay.report())
failed = {name: issues for name, issues in replay.checks().items() if issues}
for name, issues in failed.items():
    print(f"check '{name}': {len(issues)} discrepancies")
    for issue in issues[:10]:
        print(f"    {issue}")
print(f"    the year is replayed in {(time.monotonic() - began) / 60:.0f} min; checks {'failed' if failed else 'hold'}")
