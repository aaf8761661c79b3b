#!/usr/bin/env bash
# Builds kube-controller-manager from k8s.io/kubernetes through the Go module proxy. The e2e-capi
# tests run only its garbage-collector and namespace controllers, so that objects owned through
# ownerReferences (Machines, KubeadmConfigs, DevMachines, Secrets) go away after a delete.
# Usage: build-kube-controller-manager.sh [1.36.3]   → prints the binary's path (see common.sh for the cache rules)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/kube-common.sh"
build_kube_component kube-controller-manager "${1:-${KUBE_VERSION:-1.36.3}}"
