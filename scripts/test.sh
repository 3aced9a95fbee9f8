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
XEN_BOARD_TOML_TEST=$(bash scripts/fetch-toml-test.sh | tail -n1)   # toml-test's cases for the board-file parser
export XEN_BOARD_TOML_TEST
swift build
# Inputs of the boot tests (Xen, kernels, busybox) into the cache first, so no test depends on another's downloads.
.build/debug/xen-board fetch vexpress qemu-virt-arm64 qemu-virt-arm32 >/dev/null
# XCTest only (the project has no Swift Testing tests); the last line is a plain "tests: N passed, N failed".
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --disable-swift-testing 2>&1 | tee "$log" || status=$?
# libFuzzer targets (docs/fuzzing.md), 60 s each in .build-fuzz; any crash, hang or OOM fails the run.
fuzz_status=0
bash scripts/fuzz.sh ci "${XEN_BOARD_FUZZ_SECONDS:-60}" || fuzz_status=$?
if [ "$fuzz_status" -ne 0 ]; then echo "fuzz: FAILED (see above)"; status=1; fi
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n1 || true)
# e.g. "Executed 159 tests, with 2 tests skipped and 0 failures (0 unexpected) in 145.8 (145.8) seconds"
if [ -z "$summary" ]; then echo "tests: 0 passed, 1 failed (no XCTest summary: build or runner failure)"; exit 1; fi
executed=$(grep -oE "Executed [0-9]+" <<<"$summary" | grep -oE "[0-9]+")
failures=$(grep -oE "[0-9]+ failures?" <<<"$summary" | grep -oE "[0-9]+")
skipped=$(grep -oE "[0-9]+ tests? skipped" <<<"$summary" | grep -oE "^[0-9]+" || echo 0)
echo "tests: $((executed - failures - skipped)) passed, $failures failed, $skipped skipped"
exit "$status"
