#!/usr/bin/env bash
# B4 of issue 17: the member's portal pages over HTTP (see RESULTS.md).
# Builds once a demo database (BENCH_DB, default coop_bench_b4) with five years of history
# for the demo member Atelier Lumière (b4_portal_build.py), starts an Odoo server on it
# (BENCH_PORT, default 8091, one process, no cron, its request log in .local/), then
# b4_portal.py opens each page 30 times as each agent, warm, and prints p50/p95 times and
# the SQL queries per request; the server is stopped at the end.
# Usage, from the project root: addons/coop_24pm_timesheet_billing/benchmarks/b4_portal.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../../../bin/lib/setup.sh"
BENCH_DB=${BENCH_DB:-coop_bench_b4}
PORT=${BENCH_PORT:-8091}
coop_setup
odoo=("$COOP_PY" "$ODOO_DIR/odoo-bin")
LOG="$COOP_LOCAL/bench-b4-$(date +%Y%m%d-%H%M%S).log"
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; coop_postgres_stop; }
trap cleanup EXIT

if ! "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d "$BENCH_DB" --no-http --log-level=error \
        <<<'import sys; sys.exit(0 if env["ir.module.module"].search_count([("name", "=", "coop_24pm_timesheet_billing"), ("state", "=", "installed")]) else 3)' \
        >/dev/null 2>&1; then
    step "Demo database '$BENCH_DB'"
    coop_create_db "$BENCH_DB" --with-demo
else
    step "Demo database '$BENCH_DB': updating the suite's addons"
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d "$BENCH_DB" -u "$COOP_ADDONS" --stop-after-init --log-level=warn \
        || die "updating the suite's addons failed"
fi
step "Five years of history for the demo member Atelier Lumière"
"${odoo[@]}" shell "${ODOO_ARGS[@]}" -d "$BENCH_DB" --no-http --log-level=warn < "$HERE/b4_portal_build.py" | grep '^RESULT'

step "Server on port $PORT (request log: $LOG)"
"${odoo[@]}" "${ODOO_ARGS[@]}" -d "$BENCH_DB" --db-filter="^$BENCH_DB\$" --http-port="$PORT" --gevent-port=$((PORT + 1000)) \
    --max-cron-threads=0 --workers=0 --log-level=warn --log-handler=werkzeug:INFO --logfile="$LOG" </dev/null &
server=$!
for _i in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/web/login" >/dev/null 2>&1 && break
    sleep 1
done

step "B4: 30 warm requests per page and agent"
{ echo "# $(date -Is) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  "$COOP_PY" "$HERE/b4_portal.py" "http://127.0.0.1:$PORT" "$BENCH_DB" "$LOG"; } | tee "$LOG.results"
