#!/usr/bin/env bash
# Boots Debian's Xen 4.17 (hypervisor only, no Dom0) under QEMU for one board and records what Xen itself says.
#   usage: scripts/xen-truth-boot.sh BOARD OUTDIR        BOARD: vexpress | qemu-virt-arm64
# Xen brings up the CPUs, then panics with "Could not set up DOM0 guest OS" (no kernel module): QEMU is stopped
# right after that panic. Writes into OUTDIR:
#   board.dtb       the exact device tree given to Xen (with /chosen/xen,xen-bootargs set)
#   console.log     QEMU's serial console (UART0 on stdio): everything Xen printed after its console came up
#   xen-dmesg.log   Xen's console ring, recovered from guest RAM after the panic: what `xl dmesg` would show,
#                   including the lines printed before the console existed ("Platform: ...",
#                   "Looking for dtuart at ..."); a release Xen has no early printk, so these never reach the UART
#   timing          brought_up_ms=N (QEMU start -> "Brought up" seen on the console), panic_ms=N, total_ms=N
#   qemu.cmd        the QEMU command line used
# Exit status: 0 when console.log shows Xen's banner and "Brought up N CPUs"; 1 otherwise (the last 40 console
# lines go to stderr); 2 for usage errors or missing tools/inputs.
# Inputs (all optional):
#   XEN_BOARD_XEN     directory with xen-arm64 / xen-armhf (default: `scripts/fetch-xen.sh | tail -n1`)
#   XEN_BOARD_CORPUS  DTB corpus directory (default: `scripts/fetch-corpus.sh | tail -n1`; vexpress only)
#   XEN_BOARD_BIN     built xen-board binary, used to edit /chosen (default: fdtput)
#   XEN_TRUTH_TIMEOUT seconds before QEMU is killed regardless (default 120)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "xen-truth-boot: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: $0 vexpress|qemu-virt-arm64 OUTDIR"
board=$1
mkdir -p "$2"
out=$(cd "$2" && pwd)
limit=${XEN_TRUTH_TIMEOUT:-120}

case $board in
  vexpress)
    qemu=qemu-system-arm image=xen-armhf mem=1024
    opts=(-machine vexpress-a15,secure=off,virtualization=on -smp 2 -m $mem -nographic -audiodev none,id=n)
    bootargs="console=dtuart dtuart=serial0 sync_console loglvl=all" ;;
  qemu-virt-arm64)
    # -nic none: the default virtio-net-pci NIC needs efi-virtio.rom (package ipxe-qemu); Xen has no use for it
    # and it is not in the device tree (PCI devices are probed), so the DTB is the same either way.
    qemu=qemu-system-aarch64 image=xen-arm64 mem=2048
    opts=(-machine virt,gic-version=3,virtualization=on -cpu cortex-a57 -smp 2 -m $mem -nographic -nic none)
    bootargs="console=dtuart dtuart=/pl011@9000000 sync_console loglvl=all" ;;
  *) die "unknown board '$board' (vexpress | qemu-virt-arm64)" ;;
esac
# loglvl=all: "Platform: ..." and "Looking for dtuart ..." are XENLOG_INFO, which a release Xen drops by default.

command -v "$qemu" >/dev/null || die "$qemu not found (run scripts/setup.sh)"
command -v timeout >/dev/null || die "timeout not found"
xendir=${XEN_BOARD_XEN:-$(bash "$here/fetch-xen.sh" | tail -n1)}
[ -s "$xendir/$image" ] || die "no $image in '$xendir'"

setarg() { # IN OUT: copy IN to OUT with /chosen/xen,xen-bootargs = $bootargs
  if [ -n "${XEN_BOARD_BIN:-}" ]; then
    "$XEN_BOARD_BIN" dt set "$1" /chosen xen,xen-bootargs "$bootargs" -t string -o "$2"
  else
    command -v fdtput >/dev/null || die "fdtput not found (device-tree-compiler) and XEN_BOARD_BIN not set"
    cp "$1" "$2.tmp" && fdtput -t s "$2.tmp" /chosen xen,xen-bootargs "$bootargs" && mv "$2.tmp" "$2"
  fi
}

work=$(mktemp -d "$out/.boot.XXXXXX")
qpid=""
cleanup() {
  if [ -n "$qpid" ]; then kill "$qpid" 2>/dev/null || true; wait "$qpid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Guest RAM lives in a (sparse) file so Xen's console ring can be read back after the panic.
ramopts=(-object "memory-backend-file,id=xbram,size=${mem}M,mem-path=$work/ram,share=on" -machine memory-backend=xbram)

rm -f "$out/board.dtb" "$out/console.log" "$out/xen-dmesg.log" "$out/timing"
if [ "$board" = vexpress ]; then
  corpus=${XEN_BOARD_CORPUS:-$(bash "$here/fetch-corpus.sh" | tail -n1)}
  src=$(find -L "$corpus" -name vexpress-v2p-ca15-tc1.dtb | head -n1)
  [ -n "$src" ] || die "vexpress-v2p-ca15-tc1.dtb not found in '$corpus'"
  setarg "$src" "$out/board.dtb"
else
  # The machine's own tree, dumped with exactly the options of the boot.
  "$qemu" "${opts[@]}" "${ramopts[@]}" -machine dumpdtb="$work/machine.dtb" >"$work/dump.log" 2>&1 </dev/null ||
    { cat "$work/dump.log" >&2; die "dumpdtb failed"; }
  setarg "$work/machine.dtb" "$out/board.dtb"
fi

cmd=("$qemu" "${opts[@]}" "${ramopts[@]}" -kernel "$xendir/$image" -dtb "$out/board.dtb")
printf '%q ' timeout "$limit" "${cmd[@]}" | sed 's/ $/\n/' >"$out/qemu.cmd"

log=$out/console.log
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(now_ms)
timeout "$limit" "${cmd[@]}" >"$log" 2>&1 </dev/null &
qpid=$!

# Watch the console: stop 1 s after the Dom0 panic ("Reboot in five seconds..." follows it, so stop before the
# reboot), 5 s after "Brought up" if no panic comes, or when QEMU exits / the time limit is reached.
up_ms="" panic_ms="" deadline=$((t0 + limit * 1000))
while kill -0 "$qpid" 2>/dev/null; do
  t=$(now_ms)
  if [ -z "$up_ms" ] && grep -q 'Brought up [0-9]* CPU' "$log"; then up_ms=$((t - t0)); fi
  if [ -z "$panic_ms" ] && grep -q 'Panic on CPU' "$log"; then panic_ms=$((t - t0)); fi
  if [ -n "$panic_ms" ] && [ $((t - t0 - panic_ms)) -ge 1000 ]; then break; fi
  if [ -n "$up_ms" ] && [ -z "$panic_ms" ] && [ $((t - t0 - up_ms)) -ge 5000 ]; then break; fi
  [ "$t" -lt "$deadline" ] || break
  sleep 0.05
done
kill "$qpid" 2>/dev/null || true
wait "$qpid" 2>/dev/null || true
qpid=""
total_ms=$(( $(now_ms) - t0 ))
printf 'brought_up_ms=%s\npanic_ms=%s\ntotal_ms=%s\n' "${up_ms:--1}" "${panic_ms:--1}" "$total_ms" >"$out/timing"

# Xen's console ring: the longest run of text in guest RAM holding the banner (tar -S reads only the data
# extents of the sparse RAM file; QEMU stopped before any reboot, so the ring is this boot's).
if [ -f "$work/ram" ]; then
  tar -cS -C "$work" -f - ram | LC_ALL=C tr -c '\n\t[:print:]' '\036' | LC_ALL=C tr -s '\036' |
    awk 'BEGIN { RS = "\036" } /\(XEN\) Xen version/ && length($0) > length(best) { best = $0 }
         END { printf "%s", best }' >"$out/xen-dmesg.log" || true
fi
[ -s "$out/xen-dmesg.log" ] || echo "xen-truth-boot: warning: Xen's console ring was not found in guest RAM" >&2

banner=$(grep -m1 -o 'Xen version [0-9][^ ]*' "$log" || true)
up=$(grep -m1 -o 'Brought up [0-9]* CPUs\?' "$log" || true)
echo "xen-truth-boot: $board: ${banner:-no banner}; ${up:-no Brought up}; brought_up_ms=${up_ms:--1} panic_ms=${panic_ms:--1} total_ms=$total_ms" >&2
if [ -n "$banner" ] && [ -n "$up" ]; then exit 0; fi
echo "xen-truth-boot: $board: Xen did not reach 'Brought up' (QEMU: $(cat "$out/qemu.cmd")); last 40 console lines:" >&2
tail -n 40 "$log" >&2
exit 1
