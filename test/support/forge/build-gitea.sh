#!/usr/bin/env bash
# Builds Gitea from its Go module (code.gitea.io/gitea) through the Go module proxy, for the
# forge integration tests. Usage: build-gitea.sh [1.26.0]   → prints the binary's path
#
# Gitea's go.mod carries replace directives, so `go install …@v` is refused; and from v1.27 the
# module zip served under code.gitea.io/gitea declares `module gitea.dev`, so a wrapper module
# that requires it is refused too ("module declares its path as: gitea.dev"). Both are sidestepped
# by building the downloaded module as the main module, from a writable copy of its zip: its own
# go.mod, go.sum, replace and exclude lines then apply exactly as upstream builds it.
# Served versions (go list -m -versions code.gitea.io/gitea): v1.26.0 v1.27.3 v1.28.0-dev.
# v1.27.3 does not build through the proxy: its dependencies gitea.dev/actions-proto-go@v0.6.0 and
# gitea.dev/sdk@v1.1.0 answer "403 Forbidden" and gitlab.com/gitlab-org/api/client-go/v2@v2.42.0
# "This module version is not available". v1.26.0 builds (about 4.5 min cold on 2 cores).
# v1.27 uses the pure-Go modernc SQLite driver by default (no cgo); v1.26 and older need cgo and
# the tags `sqlite sqlite_unlock_notify` (GITEA_TAGS overrides the choice).
# Without the `bindata` tag Gitea reads templates/options/public from disk: they are copied next
# to the binary, and the JS/CSS bundle (built by the frontend toolchain, not in the module) is
# absent, so the web UI is broken but the API works.
source "$(dirname "${BASH_SOURCE[0]}")/../build/common.sh"
V=${1:-${GITEA_VERSION:-1.26.0}}
begin_build gitea "$V" gitea "building Gitea v$V from its Go module"
cd "$WORK"
step 1 3 "downloading code.gitea.io/gitea@v$V"
new_wrapper gitea "$WORK/wrapper"
D=$(cd "$W" && download_json "code.gitea.io/gitea@v$V" | json_field Dir)
[ -f "$D/go.mod" ] || { echo "drover: no module directory for code.gitea.io/gitea@v$V" >&2; exit 1; }
step 2 3 "copying its source (module $(sed -n 's/^module //p' "$D/go.mod")) to build it as the main module"
mkdir src && cp -R "$D"/. src/ && chmod -R u+w src
cd src
if [ -n "${GITEA_TAGS+x}" ]; then TAGS=$GITEA_TAGS
elif ls models/db/driver_sqlite_modernc.go >/dev/null 2>&1; then TAGS=""
else TAGS="sqlite sqlite_unlock_notify"; fi
if [ -n "$TAGS" ]; then export CGO_ENABLED=1; need gcc gcc "cgo SQLite driver of Gitea"; else export CGO_ENABLED=0; fi
step 3 3 "downloading its dependencies and compiling (tags '$TAGS', CGO_ENABLED=$CGO_ENABLED)"
GOFLAGS=-mod=readonly nice -n 10 go build -trimpath -tags "$TAGS" \
  -ldflags "-s -w -X main.Version=$V -X 'main.Tags=$TAGS'" -o "$STAGE/gitea" . >&2
cp -R templates options public "$STAGE/"
finish_build --version
