#!/usr/bin/env bash
# Checks the system tools the tests run besides the Go builds and, as root with apt-get, installs
# the Debian packages of any that are missing (non-interactively): git (the git http-backend
# server and repositories), openssl (the control plane's certificates), gcc (Gitea's cgo SQLite
# driver) and flock (util-linux; the build lock, which also has a fallback without it).
# Go itself is not a Debian package at the version needed (>= 1.26); common.sh checks for it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need git git "repositories and the git http-backend server of the integration tests"
[ -x "$(git --exec-path)/git-http-backend" ] || { echo "drover: git-http-backend is missing from $(git --exec-path) (Debian package git)" >&2; exit 127; }
need openssl openssl "certificates of the local control plane"
need gcc gcc "Gitea's cgo SQLite driver"
if ! command -v flock >/dev/null 2>&1; then
  (need flock util-linux "the build lock") || echo "drover: no flock; the build lock falls back to a mkdir lock" >&2
fi
