#!/usr/bin/env bash
# Whole-process speed, side by side in one hyperfine run: a cached `xen-board build qemu-virt-arm64-rtc-domu`
# (every input already in the cache) against ImageBuilder's `uboot-script-gen` for the same Xen, DTB, Dom0 kernel
# + initramfs and DomU kernel + initramfs + partial DTB. See docs/benchmarks.md ("build vs ImageBuilder").
#   IMAGEBUILDER      path to a checkout of Xen Project's ImageBuilder (measured only; never vendored here)
#   IMAGEBUILDER_GIT  or a git URL to clone it from at run time (shallow, into a temporary directory)
#   BENCH_RUNS        hyperfine runs per command (default 10)
#   BENCH_SCRATCH     swift build --scratch-path (default .build)
# Without either (or when the clone fails) only xen-board is measured, and the output says the ratio is missing.
# The load average is printed with the result: on a shared machine it decides how far apart the runs scatter.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-10}
scratch=${BENCH_SCRATCH:-.build}
command -v hyperfine >/dev/null || { echo "imagebuilder.sh: hyperfine not found (run scripts/setup.sh)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/xb-vs-ib.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Whole-process median of each command (hyperfine's JSON), and their ratio when there are two.
medians() {
  python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
for x in r: print("median: %s: %.1f ms (%d runs)" % (x["command"], x["median"] * 1000, len(x["times"])))
if len(r) == 2: print("ratio (median %s / median %s): %.2f" % (r[0]["command"], r[1]["command"], r[0]["median"] / r[1]["median"]))
PY
}
ib=${IMAGEBUILDER:-}
if [ -z "$ib" ] && [ -n "${IMAGEBUILDER_GIT:-}" ]; then
  if git clone -q --depth 1 "$IMAGEBUILDER_GIT" "$work/imagebuilder" >&2; then ib=$work/imagebuilder
  else echo "imagebuilder.sh: cannot clone $IMAGEBUILDER_GIT" >&2; fi
fi
if [ -n "$ib" ] && [ ! -x "$ib/scripts/uboot-script-gen" ]; then
  echo "imagebuilder.sh: no $ib/scripts/uboot-script-gen" >&2; exit 2
fi

swift build -c release --product xen-board --scratch-path "$scratch" >&2
xb=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/xen-board
export XEN_BOARD_BOARDS=$PWD/boards
board=qemu-virt-arm64-rtc-domu
# Fill the cache, then hand ImageBuilder the very files xen-board composed from.
(cd "$work" && "$xb" build "$board" >&2)
out=$work/out/$board
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "$ib" ]; then
  echo "imagebuilder.sh: no ImageBuilder (set IMAGEBUILDER or IMAGEBUILDER_GIT): measuring xen-board alone, no ratio" >&2
  (cd "$work" && hyperfine --warmup 2 --runs "$runs" --export-markdown "$work/result.md" --export-json "$work/result.json" \
    -n "xen-board build $board (cached)" "$xb build $board" >&2)
  cat "$work/result.md"
  medians
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
mkdir -p "$work/ib"
cp "$out/xen" "$out/kernel" "$out/initrd" "$out/initrd-rtc" "$out/rtc.dtb" "$work/ib/"
# ImageBuilder edits the host DTB itself at boot time: give it the tree before xen-board's /chosen (QEMU's dump).
cp "$(ls -t "${XEN_BOARD_CACHE:-$HOME/.cache/xen-board}"/qemu-dtbs/*.dtb | head -n1)" "$work/ib/virt.dtb"
cat >"$work/ib/config" <<CONFIG
MEMORY_START="0x40000000"
MEMORY_END="0xc0000000"
LOAD_CMD="load virtio 0:1"
BOOT_CMD="booti"
DEVICE_TREE="virt.dtb"
XEN="xen"
XEN_CMD="console=dtuart dtuart=serial0 dom0_mem=512M"
DOM0_KERNEL="kernel"
DOM0_RAMDISK="initrd"
DOM0_CMD="console=hvc0 earlycon=xenboot earlyprintk=xen clk_ignore_unused rdinit=/init"
NUM_DOMUS=1
DOMU_KERNEL[0]="kernel"
DOMU_RAMDISK[0]="initrd-rtc"
DOMU_PASSTHROUGH_DTB[0]="rtc.dtb"
DOMU_MEM[0]=256
DOMU_VCPUS[0]=1
UBOOT_SOURCE="boot.source"
UBOOT_SCRIPT="boot.scr"
CONFIG
(cd "$work/ib" && bash "$ib/scripts/uboot-script-gen" -c config -d . -t "load virtio 0:1" >/dev/null)
cd "$work"
hyperfine --warmup 2 --runs "$runs" --export-markdown "$work/result.md" --export-json "$work/result.json" \
  -n "xen-board build $board (cached)" "$xb build $board" \
  -n "ImageBuilder uboot-script-gen" "cd ib && bash $ib/scripts/uboot-script-gen -c config -d . -t 'load virtio 0:1'" >&2
cat "$work/result.md"
medians
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
