#!/usr/bin/env bash
# Benchmarks of issue 17, side by side in one run (see RESULTS.md):
#   B2  billing: ours (a coop.billing.run) against Odoo's "Create invoices" wizard on all
#       orders then posting, in a CLEAN database (only sale_timesheet and l10n_be) and in
#       the suite's database; each path on its own committed copy of the same dataset
#       (CREATE DATABASE ... TEMPLATE), warmed up by one invoice rolled back, checked by SQL.
#   B1  timesheet entry on a member's project against a project of no member.
#   B3  the due-member scan on BENCH_B3_LINES timesheet lines.
#   B5  the same run as jobs on one node, then on two nodes (queue_job's elected runner
#       sends the jobs to a round-robin proxy, rr_proxy.py), then on two nodes with one
#       killed (-9) in the middle; each on its own copy of the dataset, checked by SQL.
#   B6  a run of each scheduled job that checks the Cooperative configuration, with nothing
#       to do (jobs_noop_bench.py, on a copy of the suite's database): queries and ms, warm
#       (the check's answer cached) and cold (Odoo's caches cleared before each run).
# Environment: BENCH_MEMBERS (100), BENCH_LINES_PER_MEMBER (200), BENCH_BATCH (50),
#   BENCH_B3_LINES (1000000), BENCH_ONLY (e.g. "b2" or "b1 b3 b5"; default: b2 b1 b3 b5 b6),
#   BENCH_DB_PREFIX (coop_bench: the names of the benchmark's databases).
# Usage, from the project root (nice it on a shared machine):
#   nice -n 10 addons/coop_24pm_timesheet_billing/benchmarks/bench.sh
#   BENCH_MEMBERS=1000 BENCH_LINES_PER_MEMBER=200 nice -n 10 addons/.../bench.sh   # full scale
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../../../bin/lib/setup.sh"
coop_setup
trap coop_postgres_stop EXIT
export BENCH_MEMBERS=${BENCH_MEMBERS:-100} BENCH_LINES_PER_MEMBER=${BENCH_LINES_PER_MEMBER:-200}
ONLY=${BENCH_ONLY:-b2 b1 b3 b5 b6}
SCALE="${BENCH_MEMBERS}x${BENCH_LINES_PER_MEMBER}"
P=${BENCH_DB_PREFIX:-coop_bench}  # database names: ${P}_clean_base, ${P}_suite_100x200, ${P}_run_...
CLEAN_BASE=${P}_clean_base SUITE_BASE=${P}_suite_base
CLEAN_TPL=${P}_clean_$SCALE SUITE_TPL=${P}_suite_$SCALE
odoo=("$COOP_PY" "$ODOO_DIR/odoo-bin")
OUT="$COOP_LOCAL/bench-$(date +%Y%m%d-%H%M%S).log"

psql_admin() {
    PGPASSWORD=${DB_PASSWORD:-$COOP_DB_PASSWORD} psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-$COOP_PGPORT_LOCAL}" \
        -U "${DB_USER:-$COOP_DB_USER}" -d postgres -qtAc "$1"
}
db_exists() { [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
copy_db() { psql_admin "DROP DATABASE IF EXISTS \"$2\"" && psql_admin "CREATE DATABASE \"$2\" TEMPLATE \"$1\""; }
drop_db() { psql_admin "DROP DATABASE IF EXISTS \"$1\""; }
step_in() {  # step_in DB STEP [VAR=value ...]: one benchmark step in odoo-bin shell; prints its RESULT line
    local db=$1 s=$2; shift 2
    env BENCH_STEP="$s" "$@" "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d "$db" --no-http --log-level=warn \
        < "$HERE/billing_bench.py" 2>>"$OUT.err" | grep '^RESULT' | sed "s/^RESULT /[$db] /" | tee -a "$OUT"
}

step "Databases"
if ! db_exists $CLEAN_BASE; then
    info "clean database: only sale_timesheet and l10n_be (Belgian chart)"
    "${odoo[@]}" db "${ODOO_ARGS[@]}" init $CLEAN_BASE --force --country BE --language en_US >/dev/null 2>&1 || die "db init failed"
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d $CLEAN_BASE -i l10n_be,sale_timesheet --stop-after-init --log-level=warn || die "install failed"
    "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d $CLEAN_BASE --no-http --log-level=warn < "$COOP_ROOT/bin/lib/belgian_chart.py"
fi
if ! db_exists $SUITE_BASE; then
    info "suite's database: the four addons and sale_timesheet"
    coop_create_db $SUITE_BASE
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d $SUITE_BASE -i sale_timesheet --stop-after-init --log-level=warn || die "install failed"
fi
SUITE_ADDONS=coop_24pm_membership,coop_24pm_plans,coop_24pm_guarantee,coop_24pm_timesheet_billing
"${odoo[@]}" "${ODOO_ARGS[@]}" -d $SUITE_BASE -u $SUITE_ADDONS --stop-after-init --log-level=warn
for pair in "$CLEAN_BASE $CLEAN_TPL" "$SUITE_BASE $SUITE_TPL"; do
    set -- $pair
    if ! db_exists "$2"; then
        info "dataset $SCALE in $2"
        copy_db "$1" "$2"
        step_in "$2" build
    fi
done
# a dataset built earlier runs the code of this checkout (every addon of the suite: a field
# added to one of them would otherwise have no column)
"${odoo[@]}" "${ODOO_ARGS[@]}" -d $SUITE_TPL -u $SUITE_ADDONS --stop-after-init --log-level=warn

{ echo "# $(date -Is) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  echo "# BENCH_MEMBERS=$BENCH_MEMBERS BENCH_LINES_PER_MEMBER=$BENCH_LINES_PER_MEMBER BENCH_BATCH=${BENCH_BATCH:-50}"; } | tee -a "$OUT"

if [[ " $ONLY " == *" b2 "* ]]; then
    step "B2 billing, $SCALE"
    for run in "clean odoo $CLEAN_TPL" "suite odoo $SUITE_TPL" "suite ours $SUITE_TPL"; do
        set -- $run
        db="${P}_run_$1_$2"
        copy_db "$3" "$db"
        step_in "$db" "$2"
        step_in "$db" check BENCH_PATH="$2"
        drop_db "$db"
    done
fi
if [[ " $ONLY " == *" b1 "* ]]; then
    step "B1 timesheet entry"
    step_in $SUITE_TPL b1
fi
if [[ " $ONLY " == *" b3 "* ]]; then
    step "B3 due-member scan on ${BENCH_B3_LINES:-1000000} lines"
    db=${P}_run_b3
    copy_db $SUITE_TPL $db
    step_in $db b3
    drop_db $db
fi
start_node() {  # start_node DB PORT CAPACITY: an Odoo node with its job runner (no cron)
    ODOO_QUEUE_JOB_HOST=127.0.0.1 ODOO_QUEUE_JOB_PORT=8270 ODOO_QUEUE_JOB_CHANNELS="root:4,root.coop_billing:$3" \
        "${odoo[@]}" "${ODOO_ARGS[@]}" -d "$1" --db-filter="^$1\$" --http-port="$2" --gevent-port=$(($2 + 1000)) \
        --max-cron-threads=0 --log-level=warn </dev/null >>"$OUT.nodes" 2>&1 &
    echo $!
}
b5_run() {  # b5_run NODES [KILL_AFTER]: a run of all members as jobs over NODES nodes
    local n=$1 kill_after=${2:-0} db=${P}_run_b5 ports=() pids=() p
    copy_db $SUITE_TPL $db
    for i in $(seq 1 "$n"); do ports+=($((8270 + i))); done
    "$COOP_PY" "$HERE/rr_proxy.py" 8270 "${ports[@]}" </dev/null >/dev/null 2>>"$OUT.nodes" &
    local proxy=$!
    for p in "${ports[@]}"; do pids+=("$(start_node $db "$p" "$n")"); done
    for p in "${ports[@]}"; do
        for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$p/web/health" && break; sleep 1; done
    done
    BENCH_STEP=b5 BENCH_KILL_AFTER=$kill_after "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d $db --no-http --log-level=warn \
        < "$HERE/billing_bench.py" 2>>"$OUT.err" | while read -r line; do
        case $line in
            KILL) kill -9 "${pids[-1]}"; echo "[$db] node ${ports[-1]} killed (-9)" | tee -a "$OUT";;
            RESULT*) echo "[$db nodes=$n] ${line#RESULT }" | tee -a "$OUT";;
        esac
    done || true
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    kill $proxy 2>/dev/null || true
    wait $proxy 2>/dev/null || true  # (set -e: a killed child returns 143)
    for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.5; done; done
    step_in $db check BENCH_PATH=ours
    drop_db $db
}
if [[ " $ONLY " == *" b5 "* ]]; then
    step "B5 one node, two nodes, two nodes with one killed"
    b5_run 1
    b5_run 2
    b5_run 2 $((BENCH_MEMBERS / 3))
fi
if [[ " $ONLY " == *" b6 "* ]]; then
    step "B6 scheduled jobs with nothing to do"
    db=${P}_run_b6
    copy_db $SUITE_BASE $db
    for cold in 0 1; do
        BENCH_COLD=$cold "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d $db --no-http --log-level=warn \
            < "$HERE/jobs_noop_bench.py" 2>>"$OUT.err" | grep '^RESULT' | sed "s/^RESULT /[$db] /" | tee -a "$OUT"
    done
    drop_db $db
fi
step "Results in $OUT"
