#!/usr/bin/env bash
# Builds the five binaries of the e2e-capi tests one after the other (each one is skipped when its
# cache entry exists) and prints their paths. Meant for `nice -n 10` in the background on a cold machine.
# Usage: build-capi-all.sh
set -euo pipefail
D=$(dirname "${BASH_SOURCE[0]}")
for s in capi-core capi-kubeadm-bootstrap capi-kubeadm-control-plane capd kube-controller-manager; do
  "$D/build-$s.sh"
done
