#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, starts a throwaway PostgreSQL on 127.0.0.1,
# builds with warnings as errors, publishes the app, checks that no provider's migrations are missing, generates the
# SQL Server script, runs `dotnet test`, and prints "N passed, N failed" as its last line.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '\n== %s\n' "$*"; }

# --- Debian packages the tests need ------------------------------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ((${#missing[@]})); then
  log "Installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Throwaway PostgreSQL on 127.0.0.1 ----------------------------------------------------------------------------
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pgdir=$(mktemp -d /tmp/workflowadmin-pg.XXXXXX)
# From /tmp: the postgres user may not be allowed into the checkout's directory.
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd /tmp && runuser -u postgres -- "$@"); else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
pgport=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((pgport + 1)); done
stop_postgres() {
  as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_postgres EXIT
log "Starting PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport"
as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust --no-sync --no-locale -E UTF8 >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
export WORKFLOWADMIN_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
# Browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser of its own.
export WORKFLOWADMIN_TEST_CHROMIUM=/usr/bin/chromium PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export WORKFLOWADMIN_TEST_ARTIFACTS="$root/TestResults/screenshots"

# --- Build ---------------------------------------------------------------------------------------------------------
log "Restoring tools and packages"
dotnet tool restore >/dev/null
dotnet restore WorkflowAdmin.sln >/dev/null
log "Building (warnings are errors)"
dotnet build WorkflowAdmin.sln --no-restore -c Debug -warnaserror -nologo -v q -clp:ErrorsOnly
# What an operator deploys: tests start this output in Production (static assets, no demo users, no developer page).
log "Publishing WorkflowAdmin"
rm -rf artifacts/publish
dotnet publish WorkflowAdmin --no-build -c Debug -o artifacts/publish -nologo -v q -clp:ErrorsOnly
export WORKFLOWADMIN_TEST_PUBLISHED="$root/artifacts/publish"

# --- Migrations: none missing for any provider; the SQL Server script is generated ------------------------------
log "Checking migrations"
for context in SqliteAppDbContext SqlServerAppDbContext PostgreSqlAppDbContext; do
  dotnet ef migrations has-pending-model-changes --no-build --project WorkflowAdmin.Domain --context "$context" >/dev/null \
    || { echo "The model has changes that no $context migration covers: add a migration (see docs/decisions)."; exit 1; }
done
mkdir -p artifacts
dotnet ef migrations script --idempotent --no-build --project WorkflowAdmin.Domain --context SqlServerAppDbContext \
  --output artifacts/sqlserver-migrations.sql >/dev/null
echo "SQL Server script: artifacts/sqlserver-migrations.sql ($(wc -l < artifacts/sqlserver-migrations.sql) lines)"

# --- Tests ---------------------------------------------------------------------------------------------------------
log "Running tests"
rm -rf TestResults
status=0
dotnet test WorkflowAdmin.sln --no-build --logger "trx;LogFileName=results.trx" --results-directory "$root/TestResults" || status=$?

trx="$root/TestResults/results.trx"
if [ ! -f "$trx" ]; then
  echo "No test results were written."
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
passed=$(count passed); failed=$(count failed); skipped=$(count notExecuted)
[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
