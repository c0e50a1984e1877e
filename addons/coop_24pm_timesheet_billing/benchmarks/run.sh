#!/usr/bin/env bash
# Benchmark of the 24PM threshold invoicing against Odoo's standard sale_timesheet path.
# Builds (once) a database with the suite and sale_timesheet, then runs
# timesheet_billing.py in `odoo-bin shell`; the dataset is rolled back at the end.
#   BENCH_DB             database (default: coop24pm_bench)
#   BENCH_MEMBERS        members (default 1000)
#   BENCH_LINES          timesheet lines (default 200000)
#   BENCH_HISTORY_YEARS  history of the portal member (default 5)
# Usage, from the project root:
#   addons/coop_24pm_timesheet_billing/benchmarks/run.sh
#   BENCH_MEMBERS=50 BENCH_LINES=5000 addons/coop_24pm_timesheet_billing/benchmarks/run.sh   # quick run
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../../../bin/lib/setup.sh"
BENCH_DB=${BENCH_DB:-coop24pm_bench}
coop_setup
trap coop_postgres_stop EXIT
odoo=("$COOP_PY" "$ODOO_DIR/odoo-bin")
if ! "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d "$BENCH_DB" --no-http --log-level=error \
        <<<'import sys; sys.exit(0 if env["ir.module.module"].search_count([("name", "=", "sale_timesheet"), ("state", "=", "installed")]) else 3)' \
        >/dev/null 2>&1; then
    step "Benchmark database '$BENCH_DB' (suite + sale_timesheet, no demo)"
    coop_create_db "$BENCH_DB"
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d "$BENCH_DB" -i sale_timesheet --stop-after-init --log-level=warn \
        || die "installing sale_timesheet failed"
else
    step "Benchmark database '$BENCH_DB': updating the suite's addons"
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d "$BENCH_DB" -u "$COOP_ADDONS" --stop-after-init --log-level=warn \
        || die "updating the suite's addons failed"
fi
step "Benchmark (${BENCH_MEMBERS:-1000} members, ${BENCH_LINES:-200000} timesheet lines)"
"${odoo[@]}" shell "${ODOO_ARGS[@]}" -d "$BENCH_DB" --no-http --log-level=warn < "$HERE/timesheet_billing.py"
