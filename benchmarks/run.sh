#!/usr/bin/env bash
# Corpus benchmark: xb-bench (DeviceTree decode + re-encode, Swift) against libfdt (fdt_check_full + walk, C)
# and dtc (dtb -> dtb, one process per file), over every DTB of Debian's arm64 + armmp-lpae kernels.
# Prints a markdown report on stdout and writes it to benchmarks/results/latest.md. See docs/benchmarks.md.
#   BENCH_ROUNDS      timed rounds of the in-process tools, after one warm-up each (default 5)
#   BENCH_DTC_ROUNDS  timed rounds of the dtc loop (default 3)
#   BENCH_SCRATCH     swift build --scratch-path (default .build)
# Exit status: 0 when every tool processed every file (even if a performance target is missed: it is a report),
# 1 when any tool reported failures (or the tools disagree on the corpus), 2 on usage/setup errors.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${BENCH_ROUNDS:-5}
dtc_rounds=${BENCH_DTC_ROUNDS:-3}
scratch=${BENCH_SCRATCH:-.build}
for n in "$rounds" "$dtc_rounds"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: rounds must be positive integers" >&2; exit 2; }
done
for tool in dtc gcc swift /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (run scripts/setup.sh)" >&2; exit 2; }
done

log() { echo "bench: $*" >&2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xb-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- corpus ---------------------------------------------------------------------------------------
log "building xen-board (release)"
swift build -c release --product xen-board --scratch-path "$scratch" >&2
xenboard=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/xen-board
corpus=$("$xenboard" fetch --corpus)
list=$tmp/list
find -L "$corpus" -name '*.dtb' | sort >"$list"
files=$(wc -l <"$list")
[ "$files" -gt 0 ] || { echo "run.sh: no DTBs under $corpus" >&2; exit 2; }
corpus_bytes=$(tr '\n' '\0' <"$list" | du -bcL --files0-from=- | tail -n1 | cut -f1)
log "corpus: $files DTBs, $corpus_bytes bytes under $corpus"

# --- build ----------------------------------------------------------------------------------------
log "building xb-bench (release, scratch $scratch)"
swift build -c release --product xb-bench --scratch-path "$scratch" >&2
xb=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/xb-bench
[ -x "$xb" ] || { echo "run.sh: $xb not built" >&2; exit 2; }
walk=$tmp/libfdt_walk
gcc -O2 -o "$walk" benchmarks/libfdt_walk.c -l:libfdt.a

# --- helpers --------------------------------------------------------------------------------------
failed=0
# field LINE KEY: the value of KEY=VALUE in a tool's summary line.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2; exit }'; }
# median of the numbers on stdin (mean of the two middle ones for an even count).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
elapsed() { awk "BEGIN { printf \"%.3f\\n\", $2 - $1 }"; }
# run NAME CMD...: runs a tool once, appends its seconds to $tmp/NAME.times, keeps its last summary line.
run() {
  local name=$1; shift
  local out rc=0
  out=$("$@" 2>"$tmp/$name.err") || rc=$?
  local line; line=$(tail -n1 <<<"$out")
  local fails; fails=$(field "$line" failures)
  if [ "$rc" -ne 0 ] || [ "${fails:-1}" != 0 ]; then
    log "$name: exit $rc, failures=${fails:-?}"; head -n 20 "$tmp/$name.err" >&2; failed=1
  fi
  field "$line" seconds >>"$tmp/$name.times"
  printf '%s\n' "$line" >"$tmp/$name.last"
}

# --- timed runs -----------------------------------------------------------------------------------
log "warm-up"
run warm-xb "$xb" "$list"
run warm-xbnv "$xb" "$list" --no-validate
run warm-libfdt "$walk" "$list"
for ((r = 1; r <= rounds; r++)); do
  log "round $r/$rounds"
  run xb "$xb" "$list"
  run xbnv "$xb" "$list" --no-validate
  run libfdt "$walk" "$list"
done

dtc_failures=0
for ((r = 1; r <= dtc_rounds; r++)); do
  log "dtc round $r/$dtc_rounds ($files processes)"
  t0=$(date +%s.%N)
  while IFS= read -r f; do
    dtc -q -I dtb -O dtb -o /dev/null "$f" 2>>"$tmp/dtc.err" || dtc_failures=$((dtc_failures + 1))
  done <"$list"
  t1=$(date +%s.%N)
  elapsed "$t0" "$t1" >>"$tmp/dtc.times"
done
if [ "$dtc_failures" -ne 0 ]; then
  log "dtc: $dtc_failures failures over $dtc_rounds rounds"; head -n 20 "$tmp/dtc.err" >&2; failed=1
fi

# Peak RSS (kB) of one run; the tool's own success was already checked above.
peak_kb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'; }
log "peak RSS"
xb_kb=$(peak_kb "$xb" "$list")
walk_kb=$(peak_kb "$walk" "$list")

# --- cross-check: both in-process tools must have seen the same corpus ----------------------------
xb_line=$(cat "$tmp/xb.last"); walk_line=$(cat "$tmp/libfdt.last"); xbnv_line=$(cat "$tmp/xbnv.last")
for k in files bytes nodes properties; do
  a=$(field "$xb_line" "$k"); b=$(field "$walk_line" "$k"); c=$(field "$xbnv_line" "$k")
  if [ "$a" != "$b" ] || [ "$a" != "$c" ]; then
    log "mismatch: $k xb-bench=$a xb-bench --no-validate=$c libfdt_walk=$b"; failed=1
  fi
done

# --- inspect --summary: whole-process wall time over the corpus (target < 2 s), and against libfdt's check
# + walk of the same files as a whole process too (issue 9 target: within 2x), interleaved, wall and user CPU ----
log "timing xen-board inspect --summary and libfdt_walk as whole processes ($rounds rounds after a warm-up)"
"$xenboard" inspect --summary "$corpus" >"$tmp/summary.txt"
# timed NAME CMD...: one run under /usr/bin/time; appends wall and user seconds to $tmp/NAME.times / .user.
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %U" -o "$tmp/$name.t" "$@" >/dev/null || { log "$name: failed"; failed=1; }
  read -r w u <"$tmp/$name.t"
  echo "$w" >>"$tmp/$name.times"; echo "$u" >>"$tmp/$name.user"
}
for _ in $(seq "$rounds"); do
  timed inspect "$xenboard" inspect --summary "$corpus"
  timed walkproc "$walk" "$list"
done

# --- dtb-passthrough: one device from the largest corpus DTB, whole process (target < 50 ms) ---------
largest=$(find -L "$corpus" -name '*.dtb' -printf '%s %p\n' | sort -n | tail -n1 | cut -d' ' -f2-)
"$xenboard" dtb-passthrough --dtb "$largest" --device serial0 -o "$tmp/pt.dtb" 2>/dev/null   # warm-up
for _ in $(seq "$rounds"); do
  s0=$(date +%s.%N)
  "$xenboard" dtb-passthrough --dtb "$largest" --device serial0 -o "$tmp/pt.dtb" 2>/dev/null
  s1=$(date +%s.%N)
  echo "$(awk "BEGIN { printf \"%.1f\", ($s1 - $s0) * 1000 }")" >>"$tmp/pt.times"
done
t_pt=$(median <"$tmp/pt.times")

# --- build (own work, cached inputs) and boot (QEMU start to Dom0 report) ---------------------------
bootrows=""
buildrows=""
for board in vexpress qemu-virt-arm64 qemu-virt-arm32; do
  bout=$tmp/out-$board
  "$xenboard" build "$board" --out "$bout" >/dev/null 2>&1 || { log "build $board failed"; failed=1; continue; }   # warm the cache
  own=""
  for _ in $(seq "$rounds"); do
    own+="$("$xenboard" build "$board" --out "$bout" --timings 2>&1 >/dev/null | sed -nE 's/^own work ([0-9.]+) ms.*/\1/p')"$'\n'
  done
  own_med=$(printf '%s' "$own" | grep . | median)
  buildrows+="| $board | $own_med ms | < 100 ms | $(awk "BEGIN { exit !($own_med < 100) }" && echo PASS || echo FAIL) |"$'\n'
  log "booting $board"
  if json=$("$xenboard" boot "$board" --out "$bout" --timeout 300 --json 2>/dev/null); then
    secs=$(python3 -c 'import json,sys; j=json.load(sys.stdin); m={x["name"]: x["seconds"] for x in j["milestones"]}; print("%.1f | %.1f | %.1f" % (m.get("secondary CPUs",0), m.get("Dom0 kernel banner",0), m.get("Dom0 report",0)))' <<<"$json")
    bootrows+="| $board | $secs |"$'\n'
  else
    log "boot $board failed"; failed=1
    bootrows+="| $board | failed | | |"$'\n'
  fi
done

# --- report ---------------------------------------------------------------------------------------
t_xb=$(median <"$tmp/xb.times")
t_xbnv=$(median <"$tmp/xbnv.times")
t_walk=$(median <"$tmp/libfdt.times")
t_dtc=$(median <"$tmp/dtc.times")
t_inspect=$(median <"$tmp/inspect.times")
u_inspect=$(median <"$tmp/inspect.user")
t_walkproc=$(median <"$tmp/walkproc.times")
u_walkproc=$(median <"$tmp/walkproc.user")
target_inspect=$(awk "BEGIN { exit !($t_inspect < 2) }" && echo PASS || echo FAIL)
range() { sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f–%.3f", lo, hi }'; }
r_xb=$(calc "$t_xb / $t_walk")
r_xbnv=$(calc "$t_xbnv / $t_walk")
r_dtc=$(calc "$t_dtc / $t_xb")
xb_mb=$(calc "$xb_kb * 1024 / 1e6")
walk_mb=$(calc "$walk_kb * 1024 / 1e6")
pass() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
target_time=$(pass "$t_xb <= 2 * $t_walk")
target_time_nv=$(pass "$t_xbnv <= 2 * $t_walk")
target_mem=$(pass "$xb_kb * 1024 < 100e6")
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
swift_ver=$(swift --version 2>&1 | head -n1)
dtc_ver=$(dtc --version | head -n1 | sed 's/^Version: //')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- Sources benchmarks/xb-bench Package.swift 2>/dev/null | grep -c . || true)

mkdir -p benchmarks/results
{
  echo "## Corpus benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Machine | $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr) |"
  echo "| Toolchain | $swift_ver; $dtc_ver; $(gcc --version | head -n1) |"
  echo "| Source | commit $commit$([ "$dirty" -gt 0 ] && echo " + $dirty uncommitted source change(s)") |"
  echo "| Corpus | $files DTBs, $(calc "$corpus_bytes / 1e6") MB, $(field "$walk_line" nodes) nodes, $(field "$walk_line" properties) properties |"
  echo "| Rounds | $rounds timed (after 1 warm-up) per in-process tool, interleaved; $dtc_rounds for dtc; medians |"
  echo
  echo "| Measurement | Median s | Range s |"
  echo "|---|---:|---:|"
  echo "| xb-bench: decode + encode, libfdt-validated in and out | $t_xb | $(range "$tmp/xb.times") |"
  echo "| xb-bench --no-validate: decode + encode | $t_xbnv | $(range "$tmp/xbnv.times") |"
  echo "| libfdt_walk: fdt_check_full + node/property walk | $t_walk | $(range "$tmp/libfdt.times") |"
  echo "| dtc -I dtb -O dtb, one process per file | $t_dtc | $(range "$tmp/dtc.times") |"
  echo
  echo "| Ratio / resource | Value | Target | Result |"
  echo "|---|---:|---|---|"
  echo "| xb-bench (validated) / libfdt_walk | ${r_xb}× | ≤ 2× | $target_time |"
  echo "| xb-bench --no-validate / libfdt_walk | ${r_xbnv}× | ≤ 2× | $target_time_nv |"
  echo "| dtc loop / xb-bench (validated) | ${r_dtc}× | — | — |"
  echo "| Peak RSS, xb-bench (validated) | $xb_mb MB | < 100 MB | $target_mem |"
  echo "| Peak RSS, libfdt_walk (reference) | $walk_mb MB | — | — |"
  echo
  echo "| inspect | Median s | Range s | Target | Result |"
  echo "|---|---:|---:|---|---|"
  echo "| xen-board inspect --summary (whole process, 2 threads) | $t_inspect | $(range "$tmp/inspect.times") | < 2 s | $target_inspect |"
  echo
  echo "| inspect --summary vs libfdt_walk (whole processes, same run) | Wall s | User CPU s |"
  echo "|---|---:|---:|"
  echo "| libfdt_walk LIST | $t_walkproc | $u_walkproc |"
  echo "| xen-board inspect --summary | $t_inspect | $u_inspect |"
  echo "| ratio (target ≤ 2×) | $(calc "$t_inspect / $t_walkproc")× $(pass "$t_inspect <= 2 * $t_walkproc") | $(calc "$u_inspect / $u_walkproc")× $(pass "$u_inspect <= 2 * $u_walkproc") |"
  echo
  echo "Summary line: $(head -n1 "$tmp/summary.txt")"
  echo
  echo "| dtb-passthrough (whole process: read, decode + validate, analyse, extract, encode + validate, write) | Median ms | Target | Result |"
  echo "|---|---:|---|---|"
  echo "| $(basename "$largest") ($(stat -c %s "$largest") bytes), device serial0 | $t_pt | < 50 ms | $(awk "BEGIN { exit !($t_pt < 50) }" && echo PASS || echo FAIL) |"
  echo
  echo "| xen-board build (cached inputs, median own work: decode, inspect, initramfs, plan, DTB) | Own work | Target | Result |"
  echo "|---|---:|---|---|"
  printf '%s' "$buildrows"
  echo
  echo "| xen-board boot: seconds from QEMU start to | Xen brought up CPUs | Dom0 kernel banner | Dom0 report |"
  echo "|---|---:|---:|---:|"
  printf '%s' "$bootrows"
  if [ "$failed" -ne 0 ]; then
    echo
    echo "**Tool failures or a corpus mismatch were reported (see stderr); timings are not comparable.**"
  fi
} | tee benchmarks/results/latest.md

exit "$failed"
