#!/usr/bin/env bash
# Builds etcd from go.etcd.io/etcd/server/v3 through the Go module proxy.
# Usage: build-etcd.sh [3.6.16]   → prints the binary's path
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
E=${1:-${ETCD_VERSION:-3.6.16}}
OUT=$DROVER_CACHE/bin/etcd-v$E
if [ -x "$OUT/etcd" ]; then echo "$OUT/etcd"; exit 0; fi
lock_build "etcd-v$E"
if [ -x "$OUT/etcd" ]; then echo "$OUT/etcd"; exit 0; fi
export CGO_ENABLED=0
W=$(new_wrapper etcd); trap 'rm -rf "$W"' EXIT
cd "$W"
# server/v3's go.mod has replace directives, so `go install …@v` is refused; a wrapper that
# requires it picks the released api/client modules its requirements name.
echo "drover: resolving go.etcd.io/etcd/server/v3@v$E" >&2
go get -tool "go.etcd.io/etcd/server/v3@v$E" >&2
echo "drover: building etcd v$E" >&2
mkdir -p "$OUT.tmp"
go build -trimpath -ldflags "-s -w" -o "$OUT.tmp/etcd" go.etcd.io/etcd/server/v3 >&2
"$OUT.tmp/etcd" --version >&2
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
echo "$OUT/etcd"
