#!/usr/bin/env bash
# Downloads the Cluster API root and test modules and prints the `config/` directories of the four
# managers the e2e-capi tests run, one per line: core, kubeadm bootstrap, kubeadm control plane,
# CAPD. Each holds crd/ (a kustomization adding the conversion webhook and contract labels to the
# CRD bases) and webhook/manifests.yaml (the admission webhooks). Read at run time, never committed.
# Usage: download-capi-config.sh [1.14.2]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
CAPI=${1:-${CAPI_VERSION:-1.14.2}}
BUILD_TITLE="downloading the Cluster API v$CAPI manager configs (CRD kustomizations, webhooks)"
new_wrapper capi-config
cd "$W"
D=$(download_json "sigs.k8s.io/cluster-api@v$CAPI" | json_field Dir)
T=$(download_json "sigs.k8s.io/cluster-api/test@v$CAPI" | json_field Dir)
for d in "$D/core/config" "$D/bootstrap/kubeadm/config" "$D/controlplane/kubeadm/config" "$T/infrastructure/docker/config"; do
  [ -f "$d/crd/kustomization.yaml" ] && [ -f "$d/webhook/manifests.yaml" ] || { echo "drover: expected $d/crd/kustomization.yaml and $d/webhook/manifests.yaml" >&2; exit 1; }
  echo "$d"
done
