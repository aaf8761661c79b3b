#!/usr/bin/env bash
# Downloads github.com/equinix/equinix-sdk-go through the Go module proxy and prints the
# directory of the Equinix Metal OpenAPI description (spec/services/metalv1/oas3.fetched), read
# at test time and never committed.
# Usage: download-metal-spec.sh [0.66.0]
# v0.66.0 is the newest version the proxy serves here that still has metalv1: main removed it
# (e87be05d, 2026-06-19), and v0.65.0 and older v0.6x answer 403 "not available" from the proxy.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
V=${1:-${METAL_SDK_VERSION:-0.66.0}}
W=$(new_wrapper metal-spec); trap 'rm -rf "$W"' EXIT
cd "$W"
D=$(download_json "github.com/equinix/equinix-sdk-go@v$V" | json_field Dir)
S=$D/spec/services/metalv1/oas3.fetched
[ -f "$S/openapi3.yaml" ] || { echo "drover: github.com/equinix/equinix-sdk-go@v$V has no spec/services/metalv1 (removed on main in 2026-06; use v0.66.0)" >&2; exit 1; }
echo "$S"
