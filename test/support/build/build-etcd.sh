#!/usr/bin/env bash
# Builds etcd from go.etcd.io/etcd/server/v3 through the Go module proxy.
# Usage: build-etcd.sh [3.6.16]   → prints the binary's path (see common.sh for the cache rules)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
E=${1:-${ETCD_VERSION:-3.6.16}}
begin_build etcd "$E" etcd "building etcd v$E from its Go module"
export CGO_ENABLED=0
new_wrapper etcd "$WORK"
cd "$W"
# server/v3's go.mod has replace directives, so `go install …@v` is refused; a wrapper that
# requires it picks the released api/client modules its requirements name.
step 1 2 "resolving go.etcd.io/etcd/server/v3@v$E"
go get -tool "go.etcd.io/etcd/server/v3@v$E" >&2
step 2 2 "compiling"
nice -n 10 go build -trimpath -ldflags "-s -w" -o "$STAGE/etcd" go.etcd.io/etcd/server/v3 >&2
finish_build --version
