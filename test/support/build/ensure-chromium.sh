#!/usr/bin/env bash
# The browser tests' Chromium: Debian's package (chromium), driven by playwright-core over CDP. As
# root with apt-get it is installed non-interactively when missing; playwright's own browser
# download is never used (no network beyond the package registries here). Prints the executable.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need chromium chromium "the fleet page's browser tests (headless Chromium)"
command -v chromium
