#!/usr/bin/env bash
# Benchmarks FurnitureOps against a row-lock baseline and pgbench on one throwaway PostgreSQL (production
# durability). Usage: ./bench.sh [seed-load|hot-sku|spread|replay|loyalty-mixed|checkout …] [--scale X]
# [--pgbench-seconds N] [--out DIR]. Prints a table; writes bench/results/bench-<time>.json. See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

FURNITUREOPS_PG_BIN=$(pg_bin_dir)
export FURNITUREOPS_PG_BIN
FURNITUREOPS_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
export FURNITUREOPS_COMMIT

echo "Building (Release)..." >&2
build_log=$(mktemp)
dotnet build FurnitureOps.sln -c Release -nologo -v quiet >"$build_log" 2>&1 || { cat "$build_log"; rm -f "$build_log"; exit 1; }
rm -f "$build_log"
exec dotnet bench/FurnitureOps.Bench/bin/Release/net10.0/FurnitureOps.Bench.dll "$@"
