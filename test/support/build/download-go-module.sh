#!/usr/bin/env bash
# Downloads one Go module (module@version) through the Go module proxy into the module cache and
# prints its directory. Used by generators that read data files shipped in Go modules.
# Usage: download-go-module.sh sigs.k8s.io/kustomize/kyaml@v0.18.1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ $# -eq 1 ] || { echo "usage: $0 module@version" >&2; exit 2; }
W=$(new_wrapper module); trap 'rm -rf "$W"' EXIT
cd "$W"
download_json "$1" | json_field Dir
