# Shared recipe for the Cluster API managers built from the Go module proxy.
# Sourced by build-capi-*.sh / build-capd.sh after common.sh; not executable on its own.
#
# build_capi_manager NAME VERSION MODULE PACKAGE
#   NAME     cache entry and binary name (.cache/bin/NAME-vVERSION/NAME)
#   MODULE   the module holding PACKAGE (sigs.k8s.io/cluster-api or sigs.k8s.io/cluster-api/test)
#   PACKAGE  the main package to build
#
# CAPI v1.14 split its API types into the module sigs.k8s.io/cluster-api/api. The root module
# requires it at v0.0.0-00010101000000-000000000000 and maps it to ./api with a replace directive,
# and the test module (CAPD) does the same for the root module; replaces of a dependency are
# ignored, and the proxy has no such version (it answers 403), so the wrapper names the released
# versions itself. Other replace/exclude lines of MODULE's go.mod are copied as they are.
build_capi_manager() {
  local name=$1 v=$2 module=$3 pkg=$4
  begin_build "$name" "$v" "$name" "building $name v$v ($pkg) from its Go module"
  export CGO_ENABLED=0
  new_wrapper "$name" "$WORK"
  cd "$W"
  step 1 3 "reading $module@v$v's go.mod"
  local gomod; gomod=$(download_json "$module@v$v" | json_field GoMod)
  [ -f "$gomod" ] || { echo "drover: no go.mod for $module@v$v" >&2; exit 1; }
  local args=(-replace="sigs.k8s.io/cluster-api/api=sigs.k8s.io/cluster-api/api@v$v")
  [ "$module" = sigs.k8s.io/cluster-api ] || args+=(-replace="sigs.k8s.io/cluster-api=sigs.k8s.io/cluster-api@v$v")
  # Non-local replaces (`a => b vX`) and excludes, single-line or inside a block.
  local from to ver m
  while read -r from to ver; do
    [ -n "$ver" ] && args+=(-replace="$from=$to@$ver")
  done < <(sed -n -e 's/^replace[[:space:]]\{1,\}//' -e 's/^[[:space:]]*\([^ ]\{1,\}\)\( [^ ]\{1,\}\)\{0,1\} => \([^ .][^ ]*\) \(v[^ ]*\)$/\1 \3 \4/p' "$gomod" | grep -v '^sigs.k8s.io/cluster-api' || true)
  while read -r m ver; do args+=(-exclude="$m@$ver"); done < <(sed -n 's/^exclude[[:space:]]\{1,\}\([^ (]\{1,\}\) \(v[^ ]*\)$/\1 \2/p' "$gomod")
  go mod edit "${args[@]}"
  local gd; gd=$(sed -n 's/^godebug default=\(.*\)/\1/p' "$gomod")
  [ -z "$gd" ] || go mod edit -godebug=default="$gd"
  step 2 3 "resolving $pkg@v$v"
  go get -tool "$pkg@v$v" >&2
  local minor=${v#*.}; minor=${minor%%.*}
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local vp=sigs.k8s.io/cluster-api/version
  local ld="-s -w -X $vp.gitVersion=v$v -X $vp.gitMajor=1 -X $vp.gitMinor=$minor -X $vp.gitTreeState=clean -X $vp.buildDate=$now"
  step 3 3 "compiling (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  nice -n 10 go build -trimpath -ldflags "$ld" -o "$STAGE/$name" "$pkg" >&2
  finish_build --help
}
