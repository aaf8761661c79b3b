# Shared recipe for the Kubernetes binaries built from k8s.io/kubernetes through the Go module proxy.
# Sourced by build-kube-*.sh after common.sh; not executable on its own.
#
# build_kube_component NAME VERSION   → prints .cache/bin/NAME-vVERSION/NAME
build_kube_component() {
  local name=$1 v=$2
  local minor=${v#1.}; minor=${minor%%.*}; local patch=${v##*.}
  local out=$DROVER_CACHE/bin/$name-v$v
  if [ -x "$out/$name" ]; then echo "$out/$name"; return 0; fi
  lock_build "$name-v$v"
  if [ -x "$out/$name" ]; then echo "$out/$name"; return 0; fi
  export CGO_ENABLED=0
  local w; w=$(new_wrapper "$name")
  # shellcheck disable=SC2064
  trap "rm -rf '$w'" EXIT
  cd "$w"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging with
  # replace directives that a dependency's go.mod cannot carry; derive ours from its own go.mod.
  local gomod; gomod=$(download_json "k8s.io/kubernetes@v$v" | json_field GoMod)
  [ -f "$gomod" ] || { echo "drover: no go.mod for k8s.io/kubernetes@v$v" >&2; exit 1; }
  local args=() m
  while read -r m; do args+=("-replace=$m=$m@v0.$minor.$patch"); done < <(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/.*|\1|p' "$gomod")
  [ ${#args[@]} -gt 0 ] || { echo "drover: found no staging replaces in $gomod" >&2; exit 1; }
  go mod edit "${args[@]}"
  local gd; gd=$(sed -n 's/^godebug default=\(.*\)/\1/p' "$gomod")
  [ -z "$gd" ] || go mod edit -godebug=default="$gd"
  echo "drover: resolving k8s.io/kubernetes@v$v (${#args[@]} staging modules)" >&2
  go get -tool "k8s.io/kubernetes/cmd/$name@v$v" >&2
  local ld="-s -w" now p; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=v$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$now"
  done
  echo "drover: building $name v$v" >&2
  local start=$SECONDS
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  go build -trimpath -ldflags "$ld" -o "$out.tmp/$name" "k8s.io/kubernetes/cmd/$name" >&2
  echo "drover: built $name v$v in $((SECONDS - start)) s (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$out.tmp/$name" --version >&2
  rm -rf "$out"; mv "$out.tmp" "$out"
  echo "$out/$name"
}
