#!/usr/bin/env bash
# Builds the CAPD manager, whose in-memory backend (DevCluster/DevMachine) is the infrastructure provider of the e2e tests
# from the Go module proxy.
# Usage: build-capd.sh [1.14.2]   → prints the binary's path (see common.sh for the cache rules)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/capi-common.sh"
build_capi_manager capd "${1:-${CAPI_VERSION:-1.14.2}}" sigs.k8s.io/cluster-api/test sigs.k8s.io/cluster-api/test/infrastructure/docker
