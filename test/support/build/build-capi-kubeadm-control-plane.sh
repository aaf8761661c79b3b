#!/usr/bin/env bash
# Builds the CAPI kubeadm control-plane provider manager (KCP)
# from the Go module proxy.
# Usage: build-capi-kubeadm-control-plane.sh [1.14.2]   → prints the binary's path (see common.sh for the cache rules)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/capi-common.sh"
build_capi_manager capi-kubeadm-control-plane "${1:-${CAPI_VERSION:-1.14.2}}" sigs.k8s.io/cluster-api sigs.k8s.io/cluster-api/controlplane/kubeadm
