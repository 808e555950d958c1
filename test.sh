#!/usr/bin/env bash
# Builds and runs the whole test suite. The tests start their own throwaway PostgreSQL (or use
# FURNITUREOPS_TEST_PG, a server connection string they may create databases on). Ends with one line:
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

if [ -z "${FURNITUREOPS_TEST_PG:-}" ]; then
  FURNITUREOPS_PG_BIN=$(pg_bin_dir) || { echo "0 passed, 1 failed"; exit 1; }
  export FURNITUREOPS_PG_BIN
fi

# promtool validates the /metrics exposition in the tests. Only the binary is needed: it is taken out of
# Debian's prometheus package (no server installed or started) and cached with the other test tools.
tools="${FURNITUREOPS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/furnitureops-tools}"
if command -v promtool >/dev/null; then
  FURNITUREOPS_PROMTOOL=$(command -v promtool)
elif [ -x "$tools/promtool" ]; then
  FURNITUREOPS_PROMTOOL="$tools/promtool"
elif command -v apt-get >/dev/null; then
  mkdir -p "$tools/deb"
  { [ "$(id -u)" != 0 ] || apt-get update -qq; } >/dev/null 2>&1
  if (cd "$tools/deb" && apt-get download -qq prometheus >/dev/null 2>&1) &&
     dpkg-deb -x "$(ls "$tools"/deb/prometheus_*.deb | head -n 1)" "$tools/deb/root" &&
     cp "$tools/deb/root/usr/bin/promtool" "$tools/promtool"; then
    FURNITUREOPS_PROMTOOL="$tools/promtool"
  fi
  rm -rf "$tools/deb"
fi
export FURNITUREOPS_PROMTOOL="${FURNITUREOPS_PROMTOOL:-}"
[ -n "$FURNITUREOPS_PROMTOOL" ] || echo "promtool unavailable: the exposition-format test will say it was skipped"

# Headless Chromium loads the Orleans dashboard in one test; installed from Debian's packages when missing.
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing chromium for the dashboard test..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 || true
fi
export FURNITUREOPS_CHROMIUM="$(command -v chromium || true)"
[ -n "$FURNITUREOPS_CHROMIUM" ] || echo "chromium unavailable: the dashboard browser test will say it was skipped"

# Throwaway servers live under one folder per run; whatever a crashed or killed test host leaves there is
# stopped and removed when this script ends.
FURNITUREOPS_TEST_PG_ROOT=$(mktemp -d /tmp/furnitureops-test-run-XXXXXX)
export FURNITUREOPS_TEST_PG_ROOT
chmod 755 "$FURNITUREOPS_TEST_PG_ROOT"
sweep_test_servers() {
  for data in "$FURNITUREOPS_TEST_PG_ROOT"/furnitureops-test-pg-*; do
    [ -f "$data/postmaster.pid" ] && as_pg_user "${FURNITUREOPS_PG_BIN:-$(pg_bin_dir)}/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
  done
  rm -rf "$FURNITUREOPS_TEST_PG_ROOT"
}
trap sweep_test_servers EXIT

results=TestResults
rm -rf "$results"
if ! dotnet build FurnitureOps.sln -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test FurnitureOps.sln -c Release --no-build -nologo \
  --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # the run itself broke (crash, no results)

# The Helm chart counts as one more check (skipped with a message when npm is missing).
deploy/helm/check.sh
case $? in
  0) passed=$((passed + 1)) ;;
  2) ;;
  *) failed=$((failed + 1)) ;;
esac

# CI logs keep only their tail: name what failed just above the counts.
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null; then
  python3 scripts/failed-tests.py "$results"/*.trx
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
