#!/usr/bin/env bash
# Offline checks of what vetrack ships besides C++ (no cluster, no Docker):
# every kustomize overlay renders and validates against the Kubernetes
# schemas and the deployment policy; YAML is tidy; scripts pass shellcheck;
# protos pass buf lint; the C++ is laid out as .clang-format says.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools="$repo/deploy/tools"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -x "$tools/node_modules/.bin/buf" ]; then
  (cd "$tools" && npm ci --silent --no-audit --no-fund)
fi

# The overlays use kustomize components, which kubectl renders from 1.27 on;
# Debian 12 has no kubectl package (its kubernetes-client is 1.20).
kubectl_minor=0
if command -v kubectl >/dev/null; then
  kubectl_minor=$( (kubectl version --client -o json 2>/dev/null || true) |
    sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -1)
fi
if [ "${kubectl_minor:-0}" -ge 27 ]; then
  echo "== kustomize: render every overlay"
  rendered=()
  for overlay in "$repo"/deploy/k8s/overlays/*/; do
    name=$(basename "$overlay")
    kubectl kustomize "$overlay" >"$out/$name.yaml"
    rendered+=("$out/$name.yaml")
  done

  echo "== manifests: Kubernetes schemas and deployment policy"
  node "$tools/check-manifests.mjs" "${rendered[@]}"
else
  echo "== kustomize and manifests: SKIPPED, kubectl 1.27 or later is not installed"
  echo "   (not a Debian 12 package: install it from pkgs.k8s.io to check the manifests)"
fi

echo "== yamllint"
yamllint -c "$repo/deploy/yamllint.yaml" "$repo/deploy/k8s"

echo "== shellcheck"
mapfile -t scripts < <(cd "$repo" && git ls-files -co --exclude-standard '*.sh' .ci/run)
(cd "$repo" && shellcheck "${scripts[@]}")

echo "== buf lint"
(cd "$repo" && "$tools/node_modules/.bin/buf" lint proto)

# One layout everywhere, so a diff shows what changed rather than the
# editor's habits (`git clang-format` before a commit keeps it).
echo "== clang-format"
mapfile -t sources < <(cd "$repo" && git ls-files -co --exclude-standard '*.cc' '*.h')
# Version 14, Debian 12's: other versions lay Google style out differently.
(cd "$repo" && clang-format-14 --dry-run --Werror "${sources[@]}")

echo "lint: all checks passed"
