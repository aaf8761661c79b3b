# Shared settings for the Go builds of the local control plane.
# Sourced by build-*.sh; not executable on its own.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# Built binaries live in the project's ignored cache, keyed by component and version.
DROVER_CACHE=${DROVER_CACHE:-$ROOT/.cache}
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "drover: $1 is required to build the local control plane ($2)" >&2; exit 127; }
}
need go "install Go >= 1.26, e.g. apt-get install golang or https://go.dev/dl"
# Serializes builds of one binary across processes (tests and `npm run cluster` may start together
# on a cold machine); the caller re-checks its cache after getting the lock.
lock_build() {
  mkdir -p "$DROVER_CACHE/bin"
  exec 9>"$DROVER_CACHE/bin/.$1.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 9 || true
  fi
}
# A throw-away wrapper module per binary family, so each builds at its own tested dependency set.
new_wrapper() {
  local w; w=$(mktemp -d "${TMPDIR:-/tmp}/drover-build-$1.XXXXXX")
  (cd "$w" && go mod init "local.drover/$1-build" >/dev/null 2>&1)
  echo "$w"
}
# Fails with the proxy's own words when a module cannot be downloaded.
download_json() {
  local out
  if ! out=$(go mod download -json "$1" 2>&1); then
    echo "drover: cannot download Go module $1 through GOPROXY=$(go env GOPROXY): $out" >&2; exit 1
  fi
  if grep -q '"Error"' <<<"$out"; then
    echo "drover: cannot download Go module $1 through GOPROXY=$(go env GOPROXY): $(sed -n 's/.*"Error": "\(.*\)".*/\1/p' <<<"$out")" >&2; exit 1
  fi
  echo "$out"
}
json_field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" | head -n 1; }
