#!/usr/bin/env bash
# Installs every system package xen-board needs on a Debian 12 machine. Idempotent.
# Enables the arm64/armhf architectures so Debian's target packages (kernels, Xen, busybox) can be downloaded.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

HOST_PACKAGES=(
  libfdt-dev            # libfdt headers + libfdt.a: linked by the DeviceTree module and the benchmark
  libssl-dev            # libcrypto: in-process SHA-256 (Infrastructure, docs/dependencies.md)
  device-tree-compiler  # dtc/fdtget/fdtput: differential tests and benchmarks
  u-boot-tools          # mkimage
  gcc                   # benchmark C program
  hyperfine             # benchmark timing of whole commands
  dpkg-dev              # dpkg-deb to unpack downloaded packages
  kmod                  # depmod: indexes the kernel modules of a toolstack root filesystem ([dom0] rootfs = "toolstack")
  xz-utils              # xz -dc: Debian 13's .ko.xz PV frontend modules, decompressed for the guest's busybox insmod
  zstd                  # zstd -dc: the same for .ko.zst modules
  time                  # /usr/bin/time for peak-memory numbers
  qemu-system-arm       # qemu-system-arm + qemu-system-aarch64: truth boots of Debian's Xen (XenTruthTests)
  cpio                  # ImageComposer tests: list/extract the initramfs with the real cpio
  dosfstools            # ImageComposer tests: fsck.fat -n checks the FAT32 disk image
  mtools                # ImageComposer tests: mdir/mcopy read the FAT32 disk image without mounting
  fdisk                 # ImageComposer tests: sfdisk -d shows the disk image's MBR partition
  u-boot-qemu           # U-Boot for QEMU virt (qemu_arm64/qemu_arm u-boot.bin): disk-image boots
  gcc-aarch64-linux-gnu   # `xen-board xen`: cross-builds Xen for arm64 (XenSource)
  gcc-arm-linux-gnueabihf # `xen-board xen`: cross-builds Xen for arm32 (XenSource)
  make                  # Xen's Kbuild
  bison                 # Xen's Kconfig parser
  flex                  # Xen's Kconfig lexer
  python3               # Xen's build scripts
)

arches=$(dpkg --print-foreign-architectures || true)
need_update=0
for a in arm64 armhf; do
  if ! grep -qx "$a" <<<"$arches"; then $SUDO dpkg --add-architecture "$a"; need_update=1; fi
done

# deb-src for the release's main, so `apt-get source --download-only xen` (XenSource) finds Debian's Xen source package.
# Everything in the entry (URI, suite, keyring) is taken from the machine's own `deb` entry for that suite: no
# registry host is written in this repository. Written only when absent or different.
codename=$( . /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [ -z "$codename" ]; then
  echo "setup: /etc/os-release has no VERSION_CODENAME; cannot tell which Debian release's deb entry to mirror" >&2
  exit 1
fi
# Prints "URI SIGNED-BY" of the first `deb` entry for suite $1, from deb822 .sources files and one-line .list files.
deb_entry() {
  local suite=$1 f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v suite="$suite" '
      function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "") { print uri, (key == "" ? "-" : key); found = 1; exit } types = suites = uri = key = "" }
      /^[ \t]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/ { types = $0; sub(/^Types:[ \t]*/, "", types) }
      /^Suites:/ { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
      /^URIs:/ { uri = $2 }
      /^Signed-By:/ { key = $2 }
      END { if (!found) flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk -v suite="$suite" '
      $1 == "deb" { key = "-"; i = 2
        if ($2 ~ /^\[/) { for (; i <= NF; i++) { if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) } if ($i ~ /\]$/) { i++; break } } }
        if ($(i + 1) == suite) { print $i, key; exit } }' "$f"
  done
}
entry=$(deb_entry "$codename" | head -n 1)
if [ -z "$entry" ]; then
  echo "setup: no 'deb' entry for suite $codename in /etc/apt/sources.list or /etc/apt/sources.list.d/; add the machine's Debian mirror first" >&2
  exit 1
fi
src_uri=${entry%% *}
src_key=${entry#* }
src_file=/etc/apt/sources.list.d/xen-board-src.sources
src_text="Types: deb-src
URIs: $src_uri
Suites: $codename
Components: main"
[ "$src_key" != "-" ] && src_text+="
Signed-By: $src_key"
if [ "$(cat "$src_file" 2>/dev/null)" != "$src_text" ]; then
  echo "setup: adding deb-src entry $src_file ($src_uri $codename main, mirrored from the deb entry)"
  printf '%s\n' "$src_text" | $SUDO tee "$src_file" >/dev/null
  need_update=1
fi

missing=()
for p in "${HOST_PACKAGES[@]%%#*}"; do
  p=${p// /}
  [ -n "$p" ] || continue
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
done

# An index (e.g. security) can fail transiently with "Mirror sync in progress" while the main ones load:
# do not die on apt-get update's exit code; check that what we need resolves instead.
stamp=/var/lib/apt/lists/.xen-board-updated
if [ "$need_update" = 1 ] || [ ${#missing[@]} -gt 0 ] || [ ! -e "$stamp" ]; then
  $SUDO apt-get update -q || echo "setup: apt-get update reported an error; checking package resolution instead" >&2
  $SUDO touch "$stamp" 2>/dev/null || true
fi
resolves() { local out; out=$(apt-cache policy "$1" 2>/dev/null); [[ $out == *'Candidate: '[0-9]* ]]; }
for try in 1 2 3; do
  resolves linux-image-arm64:arm64 && resolves linux-image-armmp-lpae:armhf && break
  echo "setup: target packages do not resolve yet; apt-get update again ($try/3)" >&2
  sleep $((try * 5))
  $SUDO apt-get update -q || true
done
if ! resolves linux-image-arm64:arm64 || ! resolves linux-image-armmp-lpae:armhf; then
  echo "setup: linux-image-arm64:arm64 / linux-image-armmp-lpae:armhf do not resolve; is the arm64 architecture enabled and the index loaded?" >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "setup: system packages ready"
