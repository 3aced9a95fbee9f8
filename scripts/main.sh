#!/usr/bin/env bash
# The main job. Today: install, fetch Debian's DTBs, build xen-board, and validate + print the default board's
# device tree (vexpress V2P-CA15). `xen-board build` / `boot` (compose and boot Xen + Dom0 under QEMU) replace
# the last step when image composition lands (see the open issues).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
corpus=$(bash scripts/fetch-corpus.sh | tail -n1)
swift build -c release --product xen-board
xb=.build/release/xen-board
dtb=$(find -L "$corpus" -name vexpress-v2p-ca15-tc1.dtb | head -n1)
[ -n "$dtb" ] || { echo "main: vexpress-v2p-ca15-tc1.dtb not found in $corpus" >&2; exit 1; }
"$xb" dt check "$dtb"
echo "--- console of the default board (stdout-path / serial0):"
"$xb" dt get "$dtb" /chosen stdout-path 2>/dev/null || "$xb" dt get "$dtb" serial0
echo "--- full tree: $xb dt show $dtb"
