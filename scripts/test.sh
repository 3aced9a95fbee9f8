#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, fetches the DTB corpus into the cache,
# builds, and runs every test, the 1474-file corpus differential test and the Xen truth boots under QEMU included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
XEN_BOARD_CORPUS=$(bash scripts/fetch-corpus.sh | tail -n1)
export XEN_BOARD_CORPUS
XEN_BOARD_XEN=$(bash scripts/fetch-xen.sh | tail -n1)   # Debian's Xen 4.17 images for the QEMU truth boots (BootTests)
export XEN_BOARD_XEN
swift build
swift test
