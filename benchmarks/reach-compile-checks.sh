#!/usr/bin/env bash
# Reach share (b) of issue 13: for every (console driver, arch, platform-hooks) combination that `inspect --summary`'s
# reach analysis finds over the corpus's virt-capable boards, take its first board (by file name), run
# `xen-board new` + `xen-board gen` on it, and compile-check the output inside Debian's Xen 4.17 source
# (`xen-board xen --files GEN --compile-check`: configure with the fragment, compile every generated .c; no .c:
# configuration check only). Then count both shares against the results. See docs/benchmarks.md ("Reach").
#   REACH_RESULTS  results file written (default benchmarks/results/reach-compile-checks.txt, gitignored)
#   REACH_ONLY     grep -E pattern: check only the combination keys it matches (default: all)
#   REACH_KEEP=1   keep the passed results of the existing results file for keys still present, check the rest
#   REACH_TIMEOUT  seconds per compile check (default 900)
#   REACH_NAME     board name prefix (default reach; the Xen work tree is named after it: two runs at once need two)
#   REACH_XEN      Xen version the boards are written for (`new --xen-version`, `inspect --xen-version`; default 4.17)
#   BENCH_SCRATCH  swift build --scratch-path (default .build)
#   XEN_BOARD_BIN  a built xen-board to use instead of building one (its resources bundle beside it)
# Prints a markdown report on stdout (progress on stderr). Exit status: 0 when every check passed, 1 when any
# failed (the report still lists all), 2 on setup errors.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=${BENCH_SCRATCH:-.build}
results=${REACH_RESULTS:-benchmarks/results/reach-compile-checks.txt}
only=${REACH_ONLY:-}
keep=${REACH_KEEP:-0}
limit=${REACH_TIMEOUT:-900}
xenv=${REACH_XEN:-4.17}
prefix=${REACH_NAME:-reach}
[[ $limit =~ ^[1-9][0-9]*$ ]] || { echo "reach-compile-checks.sh: REACH_TIMEOUT must be a positive integer" >&2; exit 2; }
for tool in jq swift timeout aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc; do
  command -v "$tool" >/dev/null || { echo "reach-compile-checks.sh: $tool not found (run scripts/setup.sh)" >&2; exit 2; }
done
log() { echo "reach: $*" >&2; }

if [ -n "${XEN_BOARD_BIN:-}" ]; then
  xb=$XEN_BOARD_BIN
  [ -x "$xb" ] || { echo "reach-compile-checks.sh: XEN_BOARD_BIN=$xb is not executable" >&2; exit 2; }
else
  log "building xen-board"
  swift build --product xen-board --scratch-path "$scratch" >&2
  xb=$(swift build --scratch-path "$scratch" --show-bin-path)/xen-board
fi
corpus=$("$xb" fetch --corpus)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xb-reach.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

log "reach analysis of $corpus"
"$xb" inspect --summary "$corpus" --reach --xen-version "$xenv" --json >"$tmp/summary.json"
jq -r '.reach.combinations[] | [.key, .arch, (.boards | tostring), .example] | @tsv' "$tmp/summary.json" >"$tmp/combinations"
total=$(wc -l <"$tmp/combinations")
[ "$total" -gt 0 ] || { echo "reach-compile-checks.sh: no combinations in the reach analysis" >&2; exit 2; }

mkdir -p "$(dirname "$results")"
touch "$tmp/kept"
if [ "$keep" = 1 ] && [ -f "$results" ]; then grep '^passed ' "$results" >"$tmp/kept" || true; fi
staged="$results.partial"
{ echo "# reach compile checks: $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), corpus $corpus"
  echo "# Xen $xenv; outcome combination example seconds"; } >"$staged"
failed=0
checked=0
started=$(date +%s)
i=0
while IFS=$'\t' read -r key arch boards example; do
  i=$((i + 1))
  if [ -n "$only" ] && ! grep -qE "$only" <<<"$key"; then continue; fi
  if earlier=$(awk -v k="$key" '$2 == k { print; exit }' "$tmp/kept") && [ -n "$earlier" ]; then
    log "[$i/$total] $key: kept from $results"
    echo "$earlier" >>"$staged"
    printf '%s\t%s\t%s\t%s\t%s\n' "$key" "$boards" "$example" "passed (kept)" "$(awk '{ print $4 }' <<<"$earlier")" >>"$tmp/report"
    continue
  fi
  work="$tmp/c$i"
  mkdir -p "$work/boards"
  board="$work/boards/$prefix-$arch.toml"
  log "[$i/$total] $key ($boards boards): $example"
  t0=$(date +%s.%N)
  outcome=failed
  if XEN_BOARD_BOARDS="$work/boards" "$xb" new "$prefix-$arch" --dtb "$corpus/$example" --arch "$arch" --xen-version "$xenv" >"$work/new.log" 2>&1 \
     && "$xb" gen "$board" --dtb "$corpus/$example" --out "$work/gen" >"$work/gen.log" 2>&1 \
     && timeout "$limit" "$xb" xen "$board" --files "$work/gen" --compile-check >"$work/xen.log" 2>&1; then
    outcome=passed
  else
    failed=$((failed + 1))
    log "FAILED: $key ($example); last lines:"
    tail -n 15 "$work"/*.log >&2 || true
  fi
  seconds=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  checked=$((checked + 1))
  echo "$outcome $key $example $seconds" >>"$staged"
  printf '%s\t%s\t%s\t%s\t%s\n' "$key" "$boards" "$example" "$outcome" "$seconds" >>"$tmp/report"
done <"$tmp/combinations"
mv "$staged" "$results"
elapsed=$(( $(date +%s) - started ))

"$xb" inspect --summary "$corpus" --xen-version "$xenv" --compile-checks "$results" --json >"$tmp/final.json"
share() { jq -r --arg k "$1" '.reach[$k] | "\(.boards)/\(.of) = \(.percent)%"' "$tmp/final.json"; }
echo "## Reach compile checks, Xen $xenv ($(date -u +%F), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
echo "$checked compile checks ($failed failed) of $total combinations in ${elapsed} s; results: $results"
echo
echo "| Combination (driver/arch/hooks) | Boards | Checked board | Result | s |"
echo "|---|---:|---|---|---:|"
while IFS=$'\t' read -r key boards example outcome seconds; do
  echo "| \`$key\` | $boards | ${example##*/} | $outcome | $seconds |"
done <"$tmp/report"
echo
echo "| Share | Boards |"
echo "|---|---:|"
echo "| virt-capable | $(jq -r '.reach.virtCapable' "$tmp/final.json") of $(jq -r '.boards' "$tmp/final.json") DTBs |"
echo "| (a) console driver family booted in CI | $(share bootedFamily) |"
echo "| new + gen succeed in memory | $(share generated) |"
echo "| (b) new + gen output compile-checks in Xen | $(share compileChecked) |"
echo
echo "Remaining blockers (kind, detail, boards):"
echo
jq -r '.reach.blockers[] | "- \(.kind) \(.detail): \(.boards) (\(.examples[0] | split("/") | last))"' "$tmp/final.json"
[ "$failed" -eq 0 ]
