#!/usr/bin/env bash
# Checks the system tools the tests run besides the Go builds and, as root with apt-get, installs
# the Debian packages of any that are missing (non-interactively): git (the git http-backend
# server and repositories), openssl (the control plane's certificates), gcc (Gitea's cgo SQLite
# driver) and flock (util-linux; the build lock, which also has a fallback without it).
# Go itself is not a Debian package at the version needed (>= 1.26); common.sh checks for it.
# kubectl (the oracle tests' `kubectl kustomize`, kustomize v5.5.0) is no Debian package either:
# it comes with the machine image; without it those tests skip with their reason, so say so here.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need git git "repositories and the git http-backend server of the integration tests"
[ -x "$(git --exec-path)/git-http-backend" ] || { echo "drover: git-http-backend is missing from $(git --exec-path) (Debian package git)" >&2; exit 127; }
need openssl openssl "certificates of the local control plane"
need gcc gcc "Gitea's cgo SQLite driver"
if ! command -v flock >/dev/null 2>&1; then
  (need flock util-linux "the build lock") || echo "drover: no flock; the build lock falls back to a mkdir lock" >&2
fi
KUSTOMIZE_WANTED=v5.5.0
if ! command -v kubectl >/dev/null 2>&1; then
  echo "drover: warning: kubectl is not on PATH: the oracle tests (kubectl kustomize $KUSTOMIZE_WANTED) will skip" >&2
elif ! kubectl version --client 2>/dev/null | grep -q "^Kustomize Version: $KUSTOMIZE_WANTED\$"; then
  echo "drover: warning: $(command -v kubectl) does not embed kustomize $KUSTOMIZE_WANTED ($(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p')): the golden files were made with $KUSTOMIZE_WANTED" >&2
fi
