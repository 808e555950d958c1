#!/usr/bin/env bash
# Starts FurnitureOps locally: PostgreSQL (under .data/, unless FURNITUREOPS_PG is set), migrations, the
# silos and the API. Prints the URLs and a development token. Ctrl-C stops everything it started. After an
# unclean stop (killed, terminal closed) it stops what the last run left behind and starts afresh.
#   ./run.sh              one silo
#   ./run.sh --silos 3    three silos on consecutive ports, one cluster through the PostgreSQL membership table
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

SILOS=${FURNITUREOPS_SILOS:-1}
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) SILOS=${2:-}; shift 2 || { echo "--silos needs a number" >&2; exit 2; } ;;
    --silos=*) SILOS=${1#--silos=}; shift ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$SILOS" in
  [1-9]) ;;
  *) echo "--silos must be 1-9, not '$SILOS'" >&2; exit 2 ;;
esac

API_PORT=${FURNITUREOPS_API_PORT:-5000}
SILO_OPS_PORT=${FURNITUREOPS_SILO_PORT:-5001}
PG_PORT=${FURNITUREOPS_PG_PORT:-54329}
ORLEANS_SILO_PORT=${FURNITUREOPS_ORLEANS_SILO_PORT:-11111}
ORLEANS_GATEWAY_PORT=${FURNITUREOPS_ORLEANS_GATEWAY_PORT:-30000}
# Long enough for a cluster whose last run was killed: its silos are still "active" in the membership table
# until the new silo has declared them dead, which Orleans takes about a minute and a half to do.
READY_SECONDS=${FURNITUREOPS_READY_SECONDS:-180}
DATA=${FURNITUREOPS_DATA:-$PWD/.data}
mkdir -p "$DATA/secrets" "$DATA/logs"
chmod 700 "$DATA/secrets"

# Processes a run that was killed (not stopped) left running: its silos and API are listed in run.pids, its
# PostgreSQL answers pg_ctl status. Stopped here, so their ports and data are free again.
stop_leftovers() {
  local pid
  if [ -s "$DATA/run.pids" ]; then
    while read -r pid; do
      if grep -qs FurnitureOps "/proc/$pid/cmdline"; then
        echo "Stopping process $pid left running by an earlier run..."
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
      fi
    done < "$DATA/run.pids"
    rm -f "$DATA/run.pids"
  fi
}
stop_leftovers

pids=()
names=()
pg_started=""
cleanup() {
  trap - INT TERM EXIT
  trap '' PIPE # stdout may be gone (a pipe closed by Ctrl-C); stopping must not depend on it
  { echo; echo "Stopping..."; } 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$DATA/run.pids"
  if [ -n "$pg_started" ]; then as_pg_user "$PG_BIN/pg_ctl" -D "$DATA/postgres" -m fast stop >/dev/null || true; fi
}
trap cleanup INT TERM EXIT

secret() { # secret NAME: a random value generated once and kept under .data/secrets
  local file="$DATA/secrets/$1"
  [ -s "$file" ] || (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$file")
  cat "$file"
}

if [ -n "${FURNITUREOPS_PG:-}" ]; then
  CONNECTION="$FURNITUREOPS_PG"
  MIGRATIONS="${FURNITUREOPS_PG_MIGRATIONS:-$FURNITUREOPS_PG}"
  echo "Using PostgreSQL from FURNITUREOPS_PG."
else
  PG_BIN=$(pg_bin_dir)
  if [ ! -s "$DATA/postgres/PG_VERSION" ]; then
    echo "Creating a PostgreSQL cluster in $DATA/postgres ..."
    pg_own_dir "$DATA/postgres"
    as_pg_user "$PG_BIN/initdb" -D "$DATA/postgres" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  fi
  pg_own_dir "$DATA/pg-socket"
  if as_pg_user "$PG_BIN/pg_ctl" -D "$DATA/postgres" status >/dev/null 2>&1; then
    echo "Restarting the PostgreSQL server an earlier run left running..."
    as_pg_user "$PG_BIN/pg_ctl" -D "$DATA/postgres" -w -m fast stop >/dev/null
  fi
  as_pg_user "$PG_BIN/pg_ctl" -D "$DATA/postgres" -w -l "$DATA/postgres/server.log" \
    -o "-p $PG_PORT -k $DATA/pg-socket -c listen_addresses=127.0.0.1" start >/dev/null
  pg_started=1
  OWNER_PASSWORD=$(secret postgres-owner-password)
  APP_PASSWORD=$(secret postgres-app-password)
  # Two roles: the owner runs migrations and owns the tables; the services connect as furnitureops_app,
  # which migration 0005 grants only what they need (no UPDATE/DELETE on ledgers and audit).
  as_pg_user psql -h "$DATA/pg-socket" -p "$PG_PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 <<SQL >/dev/null
SELECT 'CREATE ROLE furnitureops_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'furnitureops_owner')\gexec
SELECT 'CREATE ROLE furnitureops_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'furnitureops_app')\gexec
ALTER ROLE furnitureops_owner PASSWORD '$OWNER_PASSWORD';
ALTER ROLE furnitureops_app PASSWORD '$APP_PASSWORD';
SELECT 'CREATE DATABASE furnitureops OWNER furnitureops_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'furnitureops')\gexec
SQL
  SERVER="Host=127.0.0.1;Port=$PG_PORT;Database=furnitureops"
  CONNECTION="$SERVER;Username=furnitureops_app;Password=$APP_PASSWORD"
  MIGRATIONS="$SERVER;Username=furnitureops_owner;Password=$OWNER_PASSWORD"
fi

echo "Building..."
dotnet build FurnitureOps.sln -c Release -nologo -v quiet >"$DATA/logs/build.log" 2>&1 || { cat "$DATA/logs/build.log"; exit 1; }
SILO_DLL=$PWD/src/Silo/bin/Release/net10.0/FurnitureOps.Silo.dll
API_DLL=$PWD/src/Api/bin/Release/net10.0/FurnitureOps.Api.dll

# Local development: readable console logs and an open dashboard (everything listens on 127.0.0.1 only).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Auth__SigningKey; Auth__SigningKey=$(secret dev-signing-key)
ConnectionStrings__Migrations="$MIGRATIONS" dotnet "$SILO_DLL" migrate
export ConnectionStrings__Postgres="$CONNECTION"

# Content roots are the build outputs, so each process finds its appsettings.json. Silo i (0-based) uses
# every port + i; the API finds all gateways through the membership table.
for i in $(seq 0 $((SILOS - 1))); do
  log="$DATA/logs/silo.log"; [ "$i" -gt 0 ] && log="$DATA/logs/silo-$((i + 1)).log"
  Orleans__SiloPort=$((ORLEANS_SILO_PORT + i)) Orleans__GatewayPort=$((ORLEANS_GATEWAY_PORT + i)) \
    ASPNETCORE_URLS="http://127.0.0.1:$((SILO_OPS_PORT + i))" \
    ASPNETCORE_CONTENTROOT="$(dirname "$SILO_DLL")" dotnet "$SILO_DLL" >"$log" 2>&1 &
  pids+=($!); names+=("silo $((i + 1))")
  echo "$!" >> "$DATA/run.pids"
done
ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" ASPNETCORE_CONTENTROOT="$(dirname "$API_DLL")" \
  dotnet "$API_DLL" >"$DATA/logs/api.log" 2>&1 &
pids+=($!); names+=("the API")
echo "$!" >> "$DATA/run.pids"

echo "Waiting for the API to reach the cluster..."
ready=""
for _ in $(seq 1 "$READY_SECONDS"); do
  if curl -fs "http://127.0.0.1:$API_PORT/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  for index in "${!pids[@]}"; do
    kill -0 "${pids[$index]}" 2>/dev/null || { echo "${names[$index]} exited before the API was ready; see $DATA/logs/" >&2; exit 1; }
  done
  sleep 1
done
if [ -z "$ready" ]; then
  echo "The API was not ready after ${READY_SECONDS} s (/health/ready); see $DATA/logs/api.log and the silo logs." >&2
  exit 1
fi

TOKEN=$(dotnet "$API_DLL" dev-token --tenant demo --sub dev)
cat <<INFO

FurnitureOps is running.
  Console         http://127.0.0.1:$API_PORT/console/#token=$TOKEN
                  (signed in as dev, tenant demo; the token stays in that browser tab and leaves the address bar)
  API             http://127.0.0.1:$API_PORT      (OpenAPI UI: /docs, document: /openapi/v1.json, /metrics)
  Silo operations http://127.0.0.1:$SILO_OPS_PORT      (/health/ready, /startupz, /livez, /metrics, /dashboard)$(
  [ "$SILOS" -gt 1 ] && printf '\n                  … %s silos in all: operations ports %s-%s' "$SILOS" "$SILO_OPS_PORT" "$((SILO_OPS_PORT + SILOS - 1))")
  Logs            $DATA/logs/{silo,silo-N,api}.log

Development token (tenant demo, every scope, 12 h):
export TOKEN=$TOKEN

Try:
  curl -s -X POST http://127.0.0.1:$API_PORT/v1/inventory -H "Authorization: Bearer \$TOKEN" \\
       -H 'Idempotency-Key: create-1' -H 'Content-Type: application/json' -d '{"sku":"CHAIR-1","name":"Oak chair","onHand":10}'

Processes: $(for index in "${!pids[@]}"; do printf '%s pid %s; ' "${names[$index]}" "${pids[$index]}"; done)
Press Ctrl-C to stop.
INFO

# The cluster stays up while the API and at least one silo live: killing a silo to watch failover is the
# reason to start several. Each exit is reported; the last silo's, or the API's, stops everything.
reported=()
while true; do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  wait -n "${alive[@]}" 2>/dev/null || true
  silos_alive=0
  for index in "${!pids[@]}"; do
    pid=${pids[$index]}
    if kill -0 "$pid" 2>/dev/null; then
      [ "${names[$index]}" != "the API" ] && silos_alive=$((silos_alive + 1))
      continue
    fi
    if [ -z "${reported[$index]:-}" ]; then
      echo "${names[$index]} (pid $pid) exited; see $DATA/logs/."
      reported[$index]=1
      [ "${names[$index]}" = "the API" ] && exit 1
    fi
  done
  if [ "$silos_alive" -eq 0 ]; then echo "No silo is left."; exit 1; fi
done
