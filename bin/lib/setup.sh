#!/usr/bin/env bash
# Shared setup of the 24PM suite: sourced by bin/run and bin/test.
# Installs what is missing (system packages when root, a virtual environment,
# Odoo 19.0 Community, the pinned Python requirements and the OCA addons) and
# makes sure a PostgreSQL server is reachable (a project-local one when none is
# configured). Every step is idempotent: running it again reuses what exists.
#
# Environment (all optional):
#   ODOO_SOURCE    a local Odoo 19.0 source: a folder (a clone of the 19.0 branch)
#                  or a tarball of it. Default: clone the official upstream branch.
#   ODOO_REPO_URL  upstream to clone when ODOO_SOURCE is unset.
#   COOP_VENV      the virtual environment (default: .venv in the project).
#   PGHOST/PGPORT/PGUSER/PGPASSWORD  an existing PostgreSQL to use instead of
#                  the project-local one (odoo.conf's db_host/db_port also count).
#   COOP_SKIP_APT=1  never call apt-get.
set -euo pipefail

COOP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COOP_LOCAL="$COOP_ROOT/.local"            # ignored by git: Odoo source, PG data, filestore, logs
COOP_VENV=${COOP_VENV:-$COOP_ROOT/.venv}
COOP_PY="$COOP_VENV/bin/python"
ODOO_REPO_URL=${ODOO_REPO_URL:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=19.0
COOP_PGDATA="$COOP_LOCAL/pgdata"
COOP_PGPORT_LOCAL=${COOP_PGPORT_LOCAL:-54329}
COOP_DB_USER=${COOP_DB_USER:-odoo}
COOP_DB_PASSWORD=${COOP_DB_PASSWORD:-odoo}
COOP_ADDONS=${COOP_ADDONS:-coop_24pm_membership,coop_24pm_plans,coop_24pm_guarantee,coop_24pm_timesheet_billing}
mkdir -p "$COOP_LOCAL"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\n\033[31mERROR: %s\033[0m\n' "$1" >&2; [ -n "${2:-}" ] && printf '  fix: %s\n' "$2" >&2; exit 1; }

as_root() { [ "$(id -u)" = 0 ]; }

# --- 1. system packages -------------------------------------------------------
coop_system_packages() {
    step "1/6 System packages"
    local need=()
    command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
    command -v pg_config >/dev/null 2>&1 || need+=(libpq-dev)
    [ -e /usr/include/ldap.h ] || need+=(libldap2-dev)
    [ -e /usr/include/sasl/sasl.h ] || need+=(libsasl2-dev)
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || need+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || need+=(wkhtmltopdf)
    command -v git >/dev/null 2>&1 || need+=(git)
    command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
    if [ ${#need[@]} -eq 0 ]; then info "all present"; return; fi
    if as_root && [ -z "${COOP_SKIP_APT:-}" ] && command -v apt-get >/dev/null 2>&1; then
        info "installing with apt-get: ${need[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
            || die "apt-get could not install ${need[*]}" "sudo apt-get install ${need[*]}"
    else
        for p in "${need[@]}"; do
            case $p in
                postgresql) die "PostgreSQL server binaries (pg_ctl, initdb) are missing" "sudo apt-get install postgresql, or give an existing server with PGHOST/PGPORT/PGUSER/PGPASSWORD";;
                chromium) info "WARNING: Chromium is missing: browser tours will fail. Fix: sudo apt-get install chromium";;
                wkhtmltopdf) info "WARNING: wkhtmltopdf is missing: PDF reports will not render. Fix: sudo apt-get install wkhtmltopdf";;
                poppler-utils) info "WARNING: pdftotext is missing: the tests that read the PDFs will fail. Fix: sudo apt-get install poppler-utils";;
                *) die "build prerequisite $p is missing" "sudo apt-get install ${need[*]}";;
            esac
        done
    fi
}

# --- 2. virtual environment ----------------------------------------------------
coop_venv() {
    step "2/6 Python virtual environment ($COOP_VENV)"
    local py=${PYTHON:-python3}
    command -v "$py" >/dev/null || die "python3 is missing" "sudo apt-get install python3 python3-venv"
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "Python 3.11+ is required ($($py --version))" "install Python 3.11 or newer"
    if [ ! -x "$COOP_PY" ]; then
        "$py" -m venv "$COOP_VENV" || die "could not create the virtual environment" "sudo apt-get install python3-venv"
        info "created"
    else
        info "reused"
    fi
}

# --- 3. Odoo 19.0 --------------------------------------------------------------
coop_odoo_dir() { "$COOP_PY" -c 'import odoo.release as r, os; print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))' 2>/dev/null; }

coop_odoo() {
    step "3/6 Odoo 19.0 Community"
    if "$COOP_PY" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)' 2>/dev/null \
        && [ -f "$(coop_odoo_dir)/odoo-bin" ]; then
        ODOO_DIR=$(coop_odoo_dir); info "Odoo 19 already importable from $ODOO_DIR"; coop_odoo_pins; return
    fi
    local src="$COOP_LOCAL/odoo"
    if [ -n "${ODOO_SOURCE:-}" ]; then
        if [ -d "$ODOO_SOURCE" ]; then
            src=$(cd "$ODOO_SOURCE" && pwd); info "using the Odoo source folder $src"
        elif [ -f "$ODOO_SOURCE" ]; then
            if [ ! -f "$src/odoo-bin" ] || [ "$(cat "$src/.coop-source" 2>/dev/null)" != "$(basename "$ODOO_SOURCE")" ]; then
                info "unpacking $ODOO_SOURCE"
                rm -rf "$src" && mkdir -p "$src"
                tar -xzf "$ODOO_SOURCE" -C "$src" --strip-components=1 || die "could not unpack $ODOO_SOURCE" "give ODOO_SOURCE a .tar.gz of the odoo 19.0 branch or a folder"
                basename "$ODOO_SOURCE" > "$src/.coop-source"
            else
                info "reusing the unpacked $(basename "$ODOO_SOURCE")"
            fi
        else
            die "ODOO_SOURCE=$ODOO_SOURCE is neither a folder nor a file" "point ODOO_SOURCE at an Odoo 19.0 source folder or tarball, or unset it to clone upstream"
        fi
    elif [ ! -f "$src/odoo-bin" ]; then
        info "cloning $ODOO_REPO_URL (branch $ODOO_BRANCH, shallow; this takes a few minutes)"
        git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPO_URL" "$src" \
            || die "could not clone Odoo from $ODOO_REPO_URL" "set ODOO_SOURCE to a local Odoo 19.0 folder or tarball"
    else
        info "reusing $src"
    fi
    [ -f "$src/odoo-bin" ] || die "$src has no odoo-bin" "ODOO_SOURCE must be the top folder of the 19.0 branch"
    ODOO_DIR=$src
    coop_odoo_pins
    info "installing Odoo itself (--no-deps, editable)"
    "$COOP_PY" -m pip install -q --no-deps --no-build-isolation -e "$ODOO_DIR" >/dev/null \
        || die "pip could not install Odoo from $ODOO_DIR"
}

coop_odoo_pins() {
    local stamp="$COOP_VENV/.coop-odoo-pins"
    local pins
    if "$COOP_PY" -c 'import sys; sys.exit(sys.version_info >= (3, 12))'; then
        pins="$COOP_ROOT/requirements-odoo-py311.txt"
    else
        pins="$ODOO_DIR/requirements.txt"
    fi
    local sum; sum=$(cat "$pins" | sha1sum | cut -c1-12)
    if [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then info "Odoo's Python dependencies already installed ($(basename "$pins"))"; return; fi
    info "installing Odoo's pinned Python dependencies from $(basename "$pins") (a few minutes)"
    "$COOP_PY" -m pip install -q --upgrade pip 'setuptools<70' wheel >/dev/null
    "$COOP_PY" -m pip install -q --no-build-isolation -r "$pins" \
        || die "Odoo's Python dependencies did not install" "see the pip output above; build prerequisites: sudo apt-get install libpq-dev libldap2-dev libsasl2-dev"
    echo "$sum" > "$stamp"
}

# --- 4. project requirements (OCA addons, test tools) --------------------------
coop_requirements() {
    step "4/6 Project requirements (OCA addons, pytest-odoo)"
    local stamp="$COOP_VENV/.coop-reqs" sum
    sum=$(cat "$COOP_ROOT/requirements.txt" | sha1sum | cut -c1-12)
    if [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then info "already installed"; return; fi
    # The OCA wheels depend on "odoo==19.0.*", already satisfied by the editable Odoo.
    "$COOP_PY" -m pip install -q --no-build-isolation -r "$COOP_ROOT/requirements.txt" \
        || die "the project requirements did not install" "see the pip output above"
    echo "$sum" > "$stamp"
}

# the linters (bin/lint, CI): ruff and pylint-odoo at the versions of .pre-commit-config.yaml
coop_dev_requirements() {
    local stamp="$COOP_VENV/.coop-dev-reqs" sum
    sum=$(cat "$COOP_ROOT/requirements-dev.txt" | sha1sum | cut -c1-12)
    if [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then info "linters already installed"; return; fi
    "$COOP_PY" -m pip install -q -r "$COOP_ROOT/requirements-dev.txt" \
        || die "the linters did not install" "see the pip output above"
    echo "$sum" > "$stamp"
}

# --- 5. PostgreSQL --------------------------------------------------------------
coop_pg_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then d=$(pg_config --bindir); [ -x "$d/initdb" ] && { echo "$d"; return; }; fi
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

conf_get() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$COOP_ROOT/odoo.conf" 2>/dev/null | tail -1 | sed 's/[[:space:]]*$//'; }

coop_postgres() {
    step "5/6 PostgreSQL"
    # An existing server given in the environment or odoo.conf wins.
    DB_HOST=${PGHOST:-$(conf_get db_host)}; DB_PORT=${PGPORT:-$(conf_get db_port)}
    DB_USER=${PGUSER:-$(conf_get db_user)}; DB_PASSWORD=${PGPASSWORD:-$(conf_get db_password)}
    [ "$DB_HOST" = False ] && DB_HOST=""; [ "$DB_PORT" = False ] && DB_PORT=""
    [ "$DB_USER" = False ] && DB_USER=""; [ "$DB_PASSWORD" = False ] && DB_PASSWORD=""
    if [ -n "$DB_HOST" ]; then
        info "using the configured server ${DB_HOST}:${DB_PORT:-5432} as ${DB_USER:-$USER}"
        COOP_PG_LOCAL=0; export COOP_PG_LOCAL DB_HOST DB_PORT DB_USER DB_PASSWORD; return
    fi
    local bindir; bindir=$(coop_pg_bindir)
    [ -n "$bindir" ] || die "PostgreSQL server binaries (initdb, pg_ctl) are missing" "sudo apt-get install postgresql, or set PGHOST/PGPORT/PGUSER/PGPASSWORD for an existing server"
    COOP_PG_BIN=$bindir
    # PostgreSQL refuses to run as root: run it as an unprivileged user.
    PG_RUNAS=()
    if as_root; then
        id postgres >/dev/null 2>&1 || useradd --system --home "$COOP_PGDATA" postgres
        PG_RUNAS=(runuser -u postgres --)
    fi
    mkdir -p "$COOP_PGDATA" "$COOP_LOCAL/pgrun"
    as_root && chown postgres "$COOP_PGDATA" "$COOP_LOCAL/pgrun" && chmod 700 "$COOP_PGDATA"
    # the postgres user must be able to reach the data folder
    if as_root; then local p=$COOP_LOCAL; while [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done; fi
    if [ ! -f "$COOP_PGDATA/PG_VERSION" ]; then
        # another cluster (another checkout) may hold the default port: take the next free one
        COOP_PGPORT_LOCAL=$("$COOP_PY" - "$COOP_PGPORT_LOCAL" <<'PY'
import socket, sys
port = int(sys.argv[1])
while port < int(sys.argv[1]) + 100:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port)); break
        except OSError:
            port += 1
print(port)
PY
)
        info "initialising a project-local cluster in .local/pgdata (port $COOP_PGPORT_LOCAL)"
        local pwfile; pwfile=$(mktemp); echo "$COOP_DB_PASSWORD" > "$pwfile"; chmod 644 "$pwfile"
        "${PG_RUNAS[@]}" "$bindir/initdb" -D "$COOP_PGDATA" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
            || { rm -f "$pwfile"; die "initdb failed"; }
        rm -f "$pwfile"
        {
            echo "listen_addresses = '127.0.0.1'"
            echo "port = $COOP_PGPORT_LOCAL"
            echo "unix_socket_directories = '$COOP_LOCAL/pgrun'"
            echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
        } | "${PG_RUNAS[@]}" tee -a "$COOP_PGDATA/postgresql.conf" >/dev/null
    fi
    COOP_PGPORT_LOCAL=$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$COOP_PGDATA/postgresql.conf" | tail -1)
    if "${PG_RUNAS[@]}" "$bindir/pg_ctl" -D "$COOP_PGDATA" status >/dev/null 2>&1; then
        info "project-local server already running on port $COOP_PGPORT_LOCAL"
    else
        info "starting the project-local server on 127.0.0.1:$COOP_PGPORT_LOCAL"
        "${PG_RUNAS[@]}" "$bindir/pg_ctl" -D "$COOP_PGDATA" -l "$COOP_PGDATA/server.log" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start (see $COOP_PGDATA/server.log)"
        COOP_PG_STARTED=1
    fi
    # Odoo refuses the postgres role: give it its own.
    "${PG_RUNAS[@]}" psql -q -h 127.0.0.1 -p "$COOP_PGPORT_LOCAL" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$COOP_DB_USER'" | grep -q 1 \
        || "${PG_RUNAS[@]}" psql -q -h 127.0.0.1 -p "$COOP_PGPORT_LOCAL" -U postgres -d postgres \
            -c "CREATE ROLE \"$COOP_DB_USER\" LOGIN CREATEDB PASSWORD '$COOP_DB_PASSWORD'" >/dev/null
    DB_HOST=127.0.0.1; DB_PORT=$COOP_PGPORT_LOCAL; DB_USER=$COOP_DB_USER; DB_PASSWORD=$COOP_DB_PASSWORD
    COOP_PG_LOCAL=1; export COOP_PG_LOCAL DB_HOST DB_PORT DB_USER DB_PASSWORD
}

coop_postgres_stop() {
    if [ "${COOP_PG_STARTED:-0}" = 1 ]; then
        info "stopping the project-local PostgreSQL"
        "${PG_RUNAS[@]}" "$COOP_PG_BIN/pg_ctl" -D "$COOP_PGDATA" -m fast stop >/dev/null 2>&1 || true
    fi
}

# --- 6. Odoo command line -------------------------------------------------------
coop_addons_path() {
    local oca; oca=$("$COOP_PY" -c 'import odoo.addons, os; print(",".join(p for p in odoo.addons.__path__ if "site-packages" in p))' 2>/dev/null || true)
    echo "$COOP_ROOT/addons,$ODOO_DIR/addons,$ODOO_DIR/odoo/addons${oca:+,$oca}"
}

# odoo_args: the connection and path options shared by every Odoo command
odoo_args() {
    ODOO_ARGS=(-c "$COOP_ROOT/odoo.conf" --addons-path="$(coop_addons_path)" --data-dir="$COOP_LOCAL/data")
    [ -n "${DB_HOST:-}" ] && ODOO_ARGS+=(--db_host="$DB_HOST")
    [ -n "${DB_PORT:-}" ] && ODOO_ARGS+=(--db_port="$DB_PORT")
    [ -n "${DB_USER:-}" ] && ODOO_ARGS+=(--db_user="$DB_USER")
    [ -n "${DB_PASSWORD:-}" ] && ODOO_ARGS+=(--db_password="$DB_PASSWORD")
    return 0
}

coop_setup() {
    coop_system_packages
    coop_venv
    coop_odoo
    coop_requirements
    coop_postgres
    step "6/6 Odoo command line"
    odoo_args
    info "addons path: $(coop_addons_path)"
}

# coop_replay_year NAME: the demo database NAME (created by coop_create_db, without demo
# data) gets what the suite's static demo gave: 24PM's own details and the logins bin/run
# prints (staff, accountant, admin's home), then a year of 24PM replayed (issue 18) over the
# days before today, and the portal's demo login as an agent of a member still active.
#   COOP_DEMO_MEMBERS  members of the year (default 40: the scenes' nine and a cooperative around them; 0: no year, no portal login)
#   COOP_DEMO_DAYS     days replayed, ending yesterday (default 365; fewer for a quick look)
coop_replay_year() {
    local db=$1 members=${COOP_DEMO_MEMBERS:-40} days=${COOP_DEMO_DAYS:-365}
    if [ "$members" = 0 ]; then
        info "24PM's details and the logins (no replayed year: COOP_DEMO_MEMBERS=0)"
    else
        info "replaying $days days of 24PM with $members members (each day is committed; the report follows)"
    fi
    COOP_DEMO_MEMBERS=$members COOP_DEMO_DAYS=$days "$COOP_PY" "$ODOO_DIR/odoo-bin" shell "${ODOO_ARGS[@]}" -d "$db" \
        --no-http --log-level=warn < "$COOP_ROOT/bin/lib/replay_year.py" > "$COOP_LOCAL/replay-$db.log" \
        || die "replaying the year failed (log: .local/replay-$db.log)"
    tail -3 "$COOP_LOCAL/replay-$db.log"
}

# coop_create_db NAME [--with-demo]: a new database, Belgian company and chart, the four
# addons. Without demo data by default (Odoo's generic accounting demo would put its
# furniture customers and foreign bank accounts in the cooperative's books): the demo
# database's content is the replayed year of coop_replay_year. --with-demo (bin/run's
# COOP_DEMO_STATIC=1) loads Odoo's demo data and with it the addons' static demo records.
coop_create_db() {
    local db=$1; shift
    local odoo=("$COOP_PY" "$ODOO_DIR/odoo-bin")
    info "creating the database (country BE, $([ "${1:-}" = --with-demo ] && echo "Odoo's and the addons' demo data" || echo 'no demo data'))"
    "${odoo[@]}" db "${ODOO_ARGS[@]}" init "$db" --force --country BE --language en_US "$@" >"$COOP_LOCAL/create-$db.log" 2>&1 \
        || { tail -30 "$COOP_LOCAL/create-$db.log"; die "database creation failed (log: .local/create-$db.log)"; }
    info "installing accounting with the Belgian localisation (l10n_be)"
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d "$db" -i l10n_be --stop-after-init --log-level=warn \
        || die "installing l10n_be failed (see the log above)"
    "${odoo[@]}" shell "${ODOO_ARGS[@]}" -d "$db" --no-http --log-level=warn < "$COOP_ROOT/bin/lib/belgian_chart.py" \
        || die "loading the Belgian chart of accounts failed"
    info "installing the suite's addons and the French and Dutch translations"
    "${odoo[@]}" "${ODOO_ARGS[@]}" -d "$db" -i "$COOP_ADDONS" --load-language=fr_BE,nl_BE --stop-after-init --log-level=warn \
        || die "installing the suite's addons failed (see the log above)"
}
