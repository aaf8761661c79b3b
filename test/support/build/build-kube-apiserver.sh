#!/usr/bin/env bash
# Builds kube-apiserver from k8s.io/kubernetes through the Go module proxy.
# Usage: build-kube-apiserver.sh [1.36.3]   → prints the binary's path
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/kube-common.sh"
build_kube_component kube-apiserver "${1:-${KUBE_VERSION:-1.36.3}}"
