#!/usr/bin/env bash
# Builds kube-apiserver from k8s.io/kubernetes through the Go module proxy.
# Usage: build-kube-apiserver.sh [1.36.3]   → prints the binary's path
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
V=${1:-${KUBE_VERSION:-1.36.3}}
MINOR=${V#1.}; MINOR=${MINOR%%.*}; PATCH=${V##*.}
OUT=$DROVER_CACHE/bin/kube-apiserver-v$V
if [ -x "$OUT/kube-apiserver" ]; then echo "$OUT/kube-apiserver"; exit 0; fi
lock_build "kube-apiserver-v$V"
if [ -x "$OUT/kube-apiserver" ]; then echo "$OUT/kube-apiserver"; exit 0; fi
export CGO_ENABLED=0
W=$(new_wrapper kube-apiserver); trap 'rm -rf "$W"' EXIT
cd "$W"
# k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging with
# replace directives that a dependency's go.mod cannot carry; derive ours from its own go.mod.
GOMOD=$(download_json "k8s.io/kubernetes@v$V" | json_field GoMod)
[ -f "$GOMOD" ] || { echo "drover: no go.mod for k8s.io/kubernetes@v$V" >&2; exit 1; }
args=()
while read -r m; do args+=("-replace=$m=$m@v0.$MINOR.$PATCH"); done < <(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/.*|\1|p' "$GOMOD")
[ ${#args[@]} -gt 0 ] || { echo "drover: found no staging replaces in $GOMOD" >&2; exit 1; }
go mod edit "${args[@]}"
GODEBUG_DEFAULT=$(sed -n 's/^godebug default=\(.*\)/\1/p' "$GOMOD")
[ -z "$GODEBUG_DEFAULT" ] || go mod edit -godebug=default="$GODEBUG_DEFAULT"
echo "drover: resolving k8s.io/kubernetes@v$V (${#args[@]} staging modules)" >&2
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$V" >&2
LD="-s -w"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD="$LD -X $p.gitVersion=v$V -X $p.gitMajor=1 -X $p.gitMinor=$MINOR -X $p.gitTreeState=clean -X $p.buildDate=$NOW"
done
echo "drover: building kube-apiserver v$V" >&2
mkdir -p "$OUT.tmp"
go build -trimpath -ldflags "$LD" -o "$OUT.tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver >&2
"$OUT.tmp/kube-apiserver" --version >&2
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
echo "$OUT/kube-apiserver"
