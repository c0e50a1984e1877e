"""B4: the member's portal pages over HTTP, as its agent opens them (see b4_portal.sh).

``python b4_portal.py URL DB SERVER_LOG``: logs in as each agent (``agent@demo-atelier.be``,
five years of history; ``agent@demo-brasserie.be``, a few weeks), opens each page 3 times
to warm up, then 30 times, and prints per page the p50 and p95 of the time the client
waited and of the SQL queries the server counted (its request log: ``werkzeug`` lines
end with ``<queries> <query time> <remaining time>``). Odoo's own ``/my/home`` and
``/my/invoices`` are measured beside the suite's pages.
"""

import json
import re
import statistics
import sys
import time
from urllib.parse import urlparse

import requests

URL, DB, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
ROUNDS, WARM = 30, 3
AGENTS = {"five years": "agent@demo-atelier.be", "a few weeks": "agent@demo-brasserie.be"}
LINE = re.compile(r'"GET (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) - (?P<queries>\d+) (?P<qt>[\d.]+) (?P<rt>[\d.]+)')


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def login(login):
    session = requests.Session()
    answer = session.post(
        f"{URL}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": "portal"}},
        timeout=60,
    ).json()
    if answer.get("error") or not answer.get("result", {}).get("uid"):
        raise SystemExit(f"cannot log in as {login}: {answer.get('error')}")
    return session


def pages(session):
    """The member's pages: found from /my/membership (its first membership link)."""
    html = session.get(f"{URL}/my/membership", timeout=60).text
    found = re.search(r"/my/membership/(\d+)", html)
    if not found:
        raise SystemExit("no membership page for this agent")
    mid = found.group(1)
    return [
        "/my/home",
        "/my/invoices",
        f"/my/membership/{mid}",
        f"/my/membership/{mid}/trust",
        f"/my/membership/{mid}/work",
        "/my/plan",
    ]


def log_size():
    with open(LOG, "rb") as handle:
        handle.seek(0, 2)
        return handle.tell()


def server_lines(offset):
    with open(LOG, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        return [m.groupdict() for m in map(LINE.search, handle.read().splitlines()) if m]


results = []
for history, agent in AGENTS.items():
    session = login(agent)
    for page in pages(session):
        for _i in range(WARM):
            response = session.get(f"{URL}{page}", timeout=60)
        # measure the page itself, not Odoo's redirect to the agent's language (/fr/...)
        path = urlparse(response.url).path
        time.sleep(0.2)
        offset, times = log_size(), []
        for _i in range(ROUNDS):
            t0 = time.perf_counter()
            response = session.get(f"{URL}{path}", timeout=60, allow_redirects=False)
            times.append(1000 * (time.perf_counter() - t0))
            if response.status_code != 200:
                raise SystemExit(f"{agent} {path}: HTTP {response.status_code}")
        time.sleep(0.5)  # the server writes its request line after the response
        logged = [line for line in server_lines(offset) if line["path"] == path][:ROUNDS]
        queries = [int(line["queries"]) for line in logged]
        results.append(
            {
                "history": history,
                "page": re.sub(r"/\d+", "/<id>", path),
                "server_requests": len(logged),
                "requests": ROUNDS,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(pct(times, 95), 1),
                "queries_p50": statistics.median(queries) if queries else None,
                "queries_max": max(queries) if queries else None,
                "server_sql_ms_p50": round(1000 * statistics.median(float(line["qt"]) for line in logged), 1)
                if logged
                else None,
            }
        )
        print("RESULT " + json.dumps(results[-1]), flush=True)

print(f"\n{'history':<12} {'page':<28} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8} {'max q':>6}")
for r in results:
    print(
        f"{r['history']:<12} {r['page']:<28} {r['p50_ms']:>7} {r['p95_ms']:>7} "
        f"{r['queries_p50']!s:>8} {r['queries_max']!s:>6}"
    )
