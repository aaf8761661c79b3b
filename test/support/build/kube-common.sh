# Recipe for Kubernetes binaries other than kube-apiserver from k8s.io/kubernetes through the Go
# module proxy (the same steps as build-kube-apiserver.sh). Sourced after common.sh.
#
# build_kube_component NAME VERSION   → prints .cache/bin/NAME-vVERSION/NAME
build_kube_component() {
  local name=$1 v=$2
  local minor=${v#1.}; minor=${minor%%.*}; local patch=${v##*.}
  begin_build "$name" "$v" "$name" "building $name v$v from its Go module"
  export CGO_ENABLED=0
  new_wrapper "$name" "$WORK"
  cd "$W"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging with
  # replace directives that a dependency's go.mod cannot carry; derive ours from its own go.mod.
  step 1 3 "reading k8s.io/kubernetes@v$v's go.mod"
  local gomod; gomod=$(download_json "k8s.io/kubernetes@v$v" | json_field GoMod)
  [ -f "$gomod" ] || { echo "drover: no go.mod for k8s.io/kubernetes@v$v" >&2; exit 1; }
  local args=() m
  while read -r m; do args+=("-replace=$m=$m@v0.$minor.$patch"); done < <(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/.*|\1|p' "$gomod")
  [ ${#args[@]} -gt 0 ] || { echo "drover: found no staging replaces in $gomod" >&2; exit 1; }
  go mod edit "${args[@]}"
  local gd; gd=$(sed -n 's/^godebug default=\(.*\)/\1/p' "$gomod")
  [ -z "$gd" ] || go mod edit -godebug=default="$gd"
  step 2 3 "resolving k8s.io/kubernetes@v$v (${#args[@]} staging modules)"
  go get -tool "k8s.io/kubernetes/cmd/$name@v$v" >&2
  local ld="-s -w" now p; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=v$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$now"
  done
  step 3 3 "compiling"
  nice -n 10 go build -trimpath -ldflags "$ld" -o "$STAGE/$name" "k8s.io/kubernetes/cmd/$name" >&2
  finish_build --version
}
