#!/usr/bin/env bash
# Downloads the Cluster API and Packet provider modules and prints the CRD directories to load,
# one per line. The CRD files are read from the module cache at run time, never committed.
# Usage: download-crds.sh [capi-version 1.14.2] [packet-version 0.9.0]
# (v1.14.2 is the newest v1.14.x whose zip the Go module proxy serves here: /@v/list and @latest
# say v1.14.2; v1.14.3 has an .info but its .zip answers 403 "not available".)
# The Go module cache is safe to share between concurrent runs (the go command locks and
# verifies it), so this needs no build lock.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
CAPI=${1:-${CAPI_VERSION:-1.14.2}}
CAPP=${2:-${CAPP_VERSION:-0.9.0}}
BUILD_TITLE="downloading the Cluster API v$CAPI and Packet provider v$CAPP CRDs"
new_wrapper crds
cd "$W"
D=$(download_json "sigs.k8s.io/cluster-api@v$CAPI" | json_field Dir)
P=$(download_json "sigs.k8s.io/cluster-api-provider-packet@v$CAPP" | json_field Dir)
core=$D/core/config/crd/bases
[ -d "$core" ] || core=$D/config/crd/bases   # v1.13 and older
for d in "$core" "$D/bootstrap/kubeadm/config/crd/bases" "$D/controlplane/kubeadm/config/crd/bases" "$P/config/crd/bases"; do
  [ -d "$d" ] || { echo "drover: expected CRD directory $d is missing" >&2; exit 1; }
  echo "$d"
done
