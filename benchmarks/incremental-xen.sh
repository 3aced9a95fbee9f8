#!/usr/bin/env bash
# The bring-up loop, measured in one run: `xen-board build BOARD --xen source` five times on one kept work tree
#   1. first build        a new board name, so a fresh copy of the pristine tree (full build)
#   2. no change          the same inputs again
#   3. one C file         [platform] dma-bitsize added: only the generated platform .c changes (no Kconfig change)
#   4. Kconfig change     [platform] name changed: the generated Kconfig prompt and the .c change (reconfigure)
#   5. back               build 1's inputs again
# and checks that build 3's image differs from 1's and that build 5 gives build 1's image byte for byte.
# For each: the whole `build` (wall), Xen's own make (from the build's "built ... in N s" line), objects compiled,
# the CPU seconds of the whole command with its children (independent of other load), and the load average.
# Prints a markdown table (paste into docs/benchmarks.md).
#   BOARD           a board of boards/ with a generated platform file (default vexpress)
#   BENCH_SCRATCH   swift build --scratch-path (default .build); BENCH_CONFIG debug|release (default debug: the
#                   Swift side is not what is measured)
# The work trees live in the cache (xen-src/<version>/work/bench-BOARD-<time>-<arch>-source); xen-board keeps at
# most 8 kept trees and removes the least recently used, so repeated runs do not fill the disk.
# Exit status: 0 when every build succeeded and the images check out, 1 otherwise, 2 on setup errors.
set -euo pipefail
cd "$(dirname "$0")/.."

board=${BOARD:-vexpress}
scratch=${BENCH_SCRATCH:-.build}
config=${BENCH_CONFIG:-debug}
[ -f "boards/$board.toml" ] || { echo "incremental-xen.sh: no boards/$board.toml" >&2; exit 2; }
grep -q '^\[platform\]' "boards/$board.toml" || { echo "incremental-xen.sh: boards/$board.toml has no [platform] section" >&2; exit 2; }
for tool in swift /usr/bin/time arm-linux-gnueabihf-gcc aarch64-linux-gnu-gcc; do
  command -v "$tool" >/dev/null || { echo "incremental-xen.sh: $tool not found (run scripts/setup.sh)" >&2; exit 2; }
done
log() { echo "bench: $*" >&2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xb-incr.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

log "building xen-board ($config)"
swift build -c "$config" --product xen-board --scratch-path "$scratch" >&2
xb=$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/xen-board

# A board file of its own name: its kept work tree is new, so build 1 is a full build.
name="bench-$board-$(date +%s)"
file=$tmp/$name.toml
cp "boards/$board.toml" "$file.orig"
# with_platform NAME KEY=VALUE...: the board file with [platform] name = NAME (when NAME is not empty; the
# board's own name line is dropped) and these lines added at the top of its [platform] section.
with_platform() {
  local name=$1; shift
  awk -v add="$(printf '%s\n' "$@")" -v name="$name" '
    /^\[/ { section = $0 }
    section == "[platform]" && name != "" && /^name *=/ { next }
    { print }
    /^\[platform\]/ { if (name != "") print "name = \"" name "\""; if (add != "") print add }' "$file.orig" >"$file"
}

failed=0
rows=""
# run LABEL: one `build --xen source`, its row appended to $rows.
run() {
  local label=$1 out=$tmp/out-$2 start end rc=0
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$tmp/$2.time" "$xb" build "$file" --xen source --out "$out" --force >"$tmp/$2.log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  if [ $rc -ne 0 ]; then
    log "$label failed:"; tail -20 "$tmp/$2.log" >&2; failed=1; return
  fi
  local whole make objects load cpu
  whole=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  make=$(sed -n 's/.*built arm[0-9]* [^ ]* ([0-9]* bytes) in \([0-9.]*\) s (\([0-9]*\) objects.*/\1/p' "$tmp/$2.log" | tail -1)
  objects=$(sed -n 's/.*built arm[0-9]* [^ ]* ([0-9]* bytes) in \([0-9.]*\) s (\([0-9]*\) objects.*/\2/p' "$tmp/$2.log" | tail -1)
  load=$(cut -d' ' -f1 /proc/loadavg)
  # CPU seconds of the whole command and its children (make, gcc, ld): what the build costs without the load.
  cpu=$(awk 'END { printf "%.1f", $1 + $2 }' "$tmp/$2.time")
  grep -q "not reconfiguring" "$tmp/$2.log" && configured=no || configured=yes
  log "$label: build $whole s, Xen make $make s, $objects objects, Kconfig ran: $configured, CPU $cpu s (load $load)"
  rows+="| $label | ${make:-?} s | ${objects:-?} | $configured | $whole s | $cpu s | $load |"$'\n'
}

with_platform ""
run "1. first build (fresh copy of the pristine tree)" first
run "2. rebuild, no change" nochange
with_platform "" "dma-bitsize = 32"
run "3. one generated C file changed (\`[platform] dma-bitsize\`)" onec
with_platform "XEN-BOARD BENCH" "dma-bitsize = 32"
run "4. Kconfig change (\`[platform] name\`: Kconfig prompt + .c)" kconfig
with_platform ""
run "5. back to build 1's inputs" back

if [ $failed -eq 0 ]; then
  cmp -s "$tmp/out-first/xen" "$tmp/out-back/xen" && same=yes || { same=NO; failed=1; }
  cmp -s "$tmp/out-first/xen" "$tmp/out-onec/xen" && { differs=NO; failed=1; } || differs=yes
else
  same="?"; differs="?"
fi
cat <<EOF
Board \`$board\` (as \`$name\`), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), \`benchmarks/incremental-xen.sh\`:

| case | Xen build (make) | objects compiled | Kconfig ran | whole \`build\` | CPU (user+sys) | load (1 min) |
|---|---:|---:|---|---:|---:|---:|
$rows
Image of build 3 differs from build 1: $differs. Build 5 (build 1's inputs again) gives build 1's image byte for byte: $same.
EOF
exit $failed
