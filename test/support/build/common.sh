# Shared machinery of the test binaries' build scripts (test/support/build/build-*.sh and
# test/support/forge/build-gitea.sh). Sourced; not executable on its own.
#
# A build script calls, in order:
#   begin_build NAME VERSION BINARY "TITLE"   prints the cached path and exits 0 when built; else
#                                             takes the lock, removes what interrupted builds left,
#                                             and sets STAGE (the new binary's directory) and WORK
#   step N M "what"                           progress line with elapsed time
#   finish_build ARGS...                      runs "$STAGE/$BINARY ARGS..." to verify it, renames
#                                             STAGE to the cache directory and prints the path
# The cache directory $DROVER_CACHE/bin/NAME-vVERSION/ appears only through that one rename, so
# a directory holding an executable BINARY is a finished, verified build: a build killed at any
# point (even SIGKILL) leaves at most NAME-vVERSION.tmp.* beside it, which the next build of the
# same binary removes under the lock before it starts.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# Built binaries live in the project's ignored cache, keyed by component and version.
DROVER_CACHE=${DROVER_CACHE:-$ROOT/.cache}
mkdir -p "$DROVER_CACHE" && DROVER_CACHE=$(cd "$DROVER_CACHE" && pwd)
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
BUILD_T0=$(date +%s)
BUILD_TITLE=${BUILD_TITLE:-build}

# Cleanups run in reverse order on any exit (a trap per script would replace the previous one).
_drover_cleanups=()
on_exit() { _drover_cleanups+=("$1"); }
_drover_run_cleanups() {
  local i
  for ((i = ${#_drover_cleanups[@]} - 1; i >= 0; i--)); do eval "${_drover_cleanups[$i]}" || true; done
}
trap _drover_run_cleanups EXIT

elapsed() {
  local s=$(($(date +%s) - BUILD_T0))
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# step N M WHAT: the progress line the test run prints while a binary builds.
step() {
  echo "drover: $BUILD_TITLE, first run only: step $1/$2: $3 ($(elapsed) elapsed)" >&2
}

# need CMD DEBIAN_PACKAGE WHY: a missing Debian-packaged tool is installed with apt-get (as root,
# non-interactively); anything else fails with what to install.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local pkg=${3:+$2} why=${3:-$2}
  if [ -n "$pkg" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "drover: $1 is missing ($why); installing the Debian package $pkg" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "$pkg" >&2 ||
      { apt-get update -q -o DPkg::Lock::Timeout=600 >&2 && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "$pkg" >&2; } || true
    command -v "$1" >/dev/null 2>&1 && return 0
  fi
  echo "drover: $1 is required ($why)${pkg:+: apt-get install $pkg}" >&2
  exit 127
}
need go "Go >= 1.26 builds the test binaries from the Go module proxy: install it from https://go.dev/dl"

# Serializes builds of one binary across processes: concurrent test runs, `npm run cluster` and
# other worktrees sharing the cache wait for one build instead of racing. flock (util-linux) holds
# a kernel lock that dies with its holder; without flock, a mkdir lock records its holder's pid so
# a waiter can break the lock of a holder that is gone.
lock_build() {
  local dir=$DROVER_CACHE/bin
  mkdir -p "$dir"
  local lock=$dir/.$1.lock
  if command -v flock >/dev/null 2>&1 && [ -z "${DROVER_NO_FLOCK:-}" ]; then
    exec 9>"$lock"
    if ! flock -n 9; then
      echo "drover: waiting for another run's build of $1 to finish (lock $lock)" >&2
      flock 9
      echo "drover: got the build lock of $1 after $(elapsed)" >&2
    fi
    return 0
  fi
  local d=$lock.d waited='' pid
  until mkdir "$d" 2>/dev/null; do
    pid=$(cat "$d/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      # Move it aside first (only one waiter's rename succeeds), then check it was still the dead
      # holder's lock and not a new holder's; put a live one back.
      if mv "$d" "$d.stale.$$" 2>/dev/null; then
        if [ "$(cat "$d.stale.$$/pid" 2>/dev/null || true)" = "$pid" ]; then
          echo "drover: removed the build lock of $1 left by process $pid, which is gone" >&2
          rm -rf "$d.stale.$$"
        else
          mv "$d.stale.$$" "$d" 2>/dev/null || rm -rf "$d.stale.$$"
        fi
      fi
      continue
    fi
    if [ -z "$waited" ]; then echo "drover: waiting for another run's build of $1 to finish (lock $d, pid ${pid:-?})" >&2; waited=1; fi
    sleep 1
  done
  echo $$ >"$d/pid"
  on_exit "rm -rf '$d'"
}

# begin_build NAME VERSION BINARY TITLE (see the top of this file).
begin_build() {
  BUILD_NAME=$1 BUILD_VERSION=$2 BUILD_BINARY=$3 BUILD_TITLE=$4
  OUT=$DROVER_CACHE/bin/$1-v$2
  if [ -x "$OUT/$3" ]; then echo "$OUT/$3"; exit 0; fi
  lock_build "$1-v$2"
  if [ -x "$OUT/$3" ]; then echo "$OUT/$3"; exit 0; fi
  # We hold the lock: anything else here is what an interrupted build of this binary left.
  local s
  for s in "$OUT".tmp*; do
    [ -e "$s" ] || continue
    echo "drover: removing $s, left by an interrupted build" >&2
    chmod -R u+w "$s" 2>/dev/null || true
    rm -rf "$s"
  done
  if [ -e "$OUT" ]; then
    echo "drover: removing $OUT, which holds no $3" >&2
    rm -rf "$OUT"
  fi
  BUILD_TMP=$(mktemp -d "$OUT.tmp.XXXXXX")
  on_exit "chmod -R u+w '$BUILD_TMP' 2>/dev/null; rm -rf '$BUILD_TMP'"
  STAGE=$BUILD_TMP/out
  WORK=$BUILD_TMP/work
  mkdir -p "$STAGE" "$WORK"
}

# finish_build ARGS...: verifies "$STAGE/$BUILD_BINARY ARGS..." runs, then publishes STAGE.
finish_build() {
  local bin=$STAGE/$BUILD_BINARY
  [ -x "$bin" ] || { echo "drover: the build produced no executable $bin" >&2; exit 1; }
  if ! "$bin" "$@" >"$BUILD_TMP/verify.log" 2>&1; then
    echo "drover: the new $BUILD_BINARY does not run: $bin $*" >&2
    tail -n 20 "$BUILD_TMP/verify.log" >&2
    exit 1
  fi
  head -n 3 "$BUILD_TMP/verify.log" >&2
  printf 'name=%s\nversion=%s\nbuilt=%s\nseconds=%s\n' "$BUILD_NAME" "$BUILD_VERSION" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(($(date +%s) - BUILD_T0))" >"$STAGE/.drover-build"
  mv "$STAGE" "$OUT" # one rename on one filesystem: OUT does not exist (see begin_build)
  echo "drover: $BUILD_TITLE: done in $(elapsed)" >&2
  echo "$OUT/$BUILD_BINARY"
}

# A throw-away wrapper module, so each binary family builds at its own tested dependency set.
# new_wrapper NAME [DIR]: sets W to DIR (default: a new temp dir, removed on exit) holding it.
# (Called as `w=$(new_wrapper NAME)` it prints the dir instead; the caller removes it.)
new_wrapper() {
  W=${2:-}
  if [ -z "$W" ]; then
    W=$(mktemp -d "${TMPDIR:-/tmp}/drover-build-$1.XXXXXX")
    on_exit "rm -rf '$W'"
  fi
  mkdir -p "$W"
  (cd "$W" && go mod init "local.drover/$1-build" >/dev/null 2>&1)
  if [ "$BASH_SUBSHELL" -gt 0 ]; then echo "$W"; fi
}
# Fails with the proxy's own words when a module cannot be downloaded.
download_json() {
  local out
  if ! out=$(go mod download -json "$1" 2>&1); then
    echo "drover: cannot download Go module $1 through GOPROXY=$(go env GOPROXY): $out" >&2
    exit 1
  fi
  if grep -q '"Error"' <<<"$out"; then
    echo "drover: cannot download Go module $1 through GOPROXY=$(go env GOPROXY): $(sed -n 's/.*"Error": "\(.*\)".*/\1/p' <<<"$out")" >&2
    exit 1
  fi
  echo "$out"
}
json_field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" | head -n 1; }
