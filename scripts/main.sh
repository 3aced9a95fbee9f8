#!/usr/bin/env bash
# The main job: install what is missing, build xen-board, compose the default board's Xen + Dom0 image and boot it
# under QEMU until Dom0 reports in.   BOARD=qemu-virt-arm64 bash scripts/main.sh   picks another emulated board.
set -euo pipefail
cd "$(dirname "$0")/.."
board=${BOARD:-vexpress}
bash scripts/setup.sh
swift build -c release --product xen-board
xb=.build/release/xen-board
"$xb" boards
"$xb" build "$board"
"$xb" boot "$board"
