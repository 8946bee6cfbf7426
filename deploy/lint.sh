#!/usr/bin/env bash
# Offline checks of what vetrack ships besides C++ (no cluster, no Docker):
# every kustomize overlay renders and validates against the Kubernetes
# schemas and the deployment policy; YAML is tidy; scripts pass shellcheck;
# protos pass buf lint.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools="$repo/deploy/tools"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -x "$tools/node_modules/.bin/buf" ]; then
  (cd "$tools" && npm ci --silent --no-audit --no-fund)
fi

echo "== kustomize: render every overlay"
rendered=()
for overlay in "$repo"/deploy/k8s/overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize "$overlay" >"$out/$name.yaml"
  rendered+=("$out/$name.yaml")
done

echo "== manifests: Kubernetes schemas and deployment policy"
node "$tools/check-manifests.mjs" "${rendered[@]}"

echo "== yamllint"
yamllint -c "$repo/deploy/yamllint.yaml" "$repo/deploy/k8s"

echo "== shellcheck"
mapfile -t scripts < <(cd "$repo" && git ls-files -co --exclude-standard '*.sh' .ci/run)
(cd "$repo" && shellcheck "${scripts[@]}")

echo "== buf lint"
(cd "$repo" && "$tools/node_modules/.bin/buf" lint proto)

echo "lint: all checks passed"
