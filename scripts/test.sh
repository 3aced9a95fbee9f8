#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, fetches the DTB corpus into the cache,
# builds, and runs every test, the 1474-file corpus differential test included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
XEN_BOARD_CORPUS=$(bash scripts/fetch-corpus.sh | tail -n1)
export XEN_BOARD_CORPUS
swift build
swift test
