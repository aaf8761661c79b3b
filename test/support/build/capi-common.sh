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
  local out=$DROVER_CACHE/bin/$name-v$v
  if [ -x "$out/$name" ]; then echo "$out/$name"; return 0; fi
  lock_build "$name-v$v"
  if [ -x "$out/$name" ]; then echo "$out/$name"; return 0; fi
  export CGO_ENABLED=0
  local w; w=$(new_wrapper "$name")
  # shellcheck disable=SC2064
  trap "rm -rf '$w'" EXIT
  cd "$w"
  local gomod; gomod=$(download_json "$module@v$v" | json_field GoMod)
  [ -f "$gomod" ] || { echo "drover: no go.mod for $module@v$v" >&2; exit 1; }
  local args=(-replace="sigs.k8s.io/cluster-api/api=sigs.k8s.io/cluster-api/api@v$v")
  [ "$module" = sigs.k8s.io/cluster-api ] || args+=(-replace="sigs.k8s.io/cluster-api=sigs.k8s.io/cluster-api@v$v")
  # Non-local replaces (`a => b vX`) and excludes, single-line or inside a block.
  while read -r from to ver; do
    [ -n "$ver" ] && args+=(-replace="$from=$to@$ver")
  done < <(sed -n -e 's/^replace[[:space:]]\{1,\}//' -e 's/^[[:space:]]*\([^ ]\{1,\}\)\( [^ ]\{1,\}\)\{0,1\} => \([^ .][^ ]*\) \(v[^ ]*\)$/\1 \3 \4/p' "$gomod" | grep -v '^sigs.k8s.io/cluster-api' || true)
  while read -r m ver; do args+=(-exclude="$m@$ver"); done < <(sed -n 's/^exclude[[:space:]]\{1,\}\([^ (]\{1,\}\) \(v[^ ]*\)$/\1 \2/p' "$gomod")
  go mod edit "${args[@]}"
  local gd; gd=$(sed -n 's/^godebug default=\(.*\)/\1/p' "$gomod")
  [ -z "$gd" ] || go mod edit -godebug=default="$gd"
  echo "drover: resolving $pkg@v$v" >&2
  go get -tool "$pkg@v$v" >&2
  local minor=${v#*.}; minor=${minor%%.*}
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local vp=sigs.k8s.io/cluster-api/version
  local ld="-s -w -X $vp.gitVersion=v$v -X $vp.gitMajor=1 -X $vp.gitMinor=$minor -X $vp.gitTreeState=clean -X $vp.buildDate=$now"
  echo "drover: building $name v$v ($pkg)" >&2
  local start=$SECONDS
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  go build -trimpath -ldflags "$ld" -o "$out.tmp/$name" "$pkg" >&2
  echo "drover: built $name v$v in $((SECONDS - start)) s (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  rm -rf "$out"; mv "$out.tmp" "$out"
  echo "$out/$name"
}
