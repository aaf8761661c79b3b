#!/usr/bin/env bash
# Builds kube-apiserver from k8s.io/kubernetes through the Go module proxy.
# Usage: build-kube-apiserver.sh [1.36.3]   → prints the binary's path (see common.sh for the cache rules)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
V=${1:-${KUBE_VERSION:-1.36.3}}
MINOR=${V#1.}; MINOR=${MINOR%%.*}; PATCH=${V##*.}
begin_build kube-apiserver "$V" kube-apiserver "building kube-apiserver v$V from its Go module"
export CGO_ENABLED=0
new_wrapper kube-apiserver "$WORK"
cd "$W"
# k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging with
# replace directives that a dependency's go.mod cannot carry; derive ours from its own go.mod.
step 1 3 "reading k8s.io/kubernetes@v$V's go.mod"
GOMOD=$(download_json "k8s.io/kubernetes@v$V" | json_field GoMod)
[ -f "$GOMOD" ] || { echo "drover: no go.mod for k8s.io/kubernetes@v$V" >&2; exit 1; }
args=()
while read -r m; do args+=("-replace=$m=$m@v0.$MINOR.$PATCH"); done < <(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/.*|\1|p' "$GOMOD")
[ ${#args[@]} -gt 0 ] || { echo "drover: found no staging replaces in $GOMOD" >&2; exit 1; }
go mod edit "${args[@]}"
GODEBUG_DEFAULT=$(sed -n 's/^godebug default=\(.*\)/\1/p' "$GOMOD")
[ -z "$GODEBUG_DEFAULT" ] || go mod edit -godebug=default="$GODEBUG_DEFAULT"
step 2 3 "resolving k8s.io/kubernetes@v$V (${#args[@]} staging modules)"
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$V" >&2
LD="-s -w"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD="$LD -X $p.gitVersion=v$V -X $p.gitMajor=1 -X $p.gitMinor=$MINOR -X $p.gitTreeState=clean -X $p.buildDate=$NOW"
done
step 3 3 "compiling"
nice -n 10 go build -trimpath -ldflags "$LD" -o "$STAGE/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver >&2
finish_build --version
