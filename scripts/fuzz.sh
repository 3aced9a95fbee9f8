#!/usr/bin/env bash
# Builds the libFuzzer targets (docs/fuzzing.md) in .build-fuzz, so the normal .build stays valid, and runs them.
#   scripts/fuzz.sh build                      build fuzz-dtb, fuzz-boardfile, fuzz-passthrough (release, -sanitize=fuzzer)
#   scripts/fuzz.sh seeds                      (re)make the seed corpora under $XEN_BOARD_CACHE/fuzz/seeds
#   scripts/fuzz.sh run TARGET SECONDS [ARGS]  fuzz TARGET (dtb, boardfile, passthrough) for SECONDS; fails on a crash
#   scripts/fuzz.sh ci [SECONDS]               build, seed, then run every target SECONDS (default 60) each
# Findings are written to $XEN_BOARD_CACHE/fuzz/findings/TARGET; the corpus grows in $XEN_BOARD_CACHE/fuzz/corpus/TARGET.
#   XEN_BOARD_CACHE  cache root (default ~/.cache/xen-board);  XEN_BOARD_CORPUS  the DTB corpus (xen-board fetch --corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${XEN_BOARD_CACHE:-$HOME/.cache/xen-board}
fuzz=$cache/fuzz
targets=(dtb boardfile passthrough)
# A crash must end the run at once, not after minutes of Swift's backtracer.
export SWIFT_BACKTRACE=enable=no

build() {
  for t in "${targets[@]}"; do
    swift build -c release --scratch-path .build-fuzz --product "fuzz-$t" -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >&2
  done
}

# Seeds: small trees cut from every corpus DTB (at most 1 MiB), the repository's board files, and for passthrough each DTB once per
# selector byte in a small spread (different devices, alias naming, policies).
seeds() {
  local corpus=${XEN_BOARD_CORPUS:-}
  if [ -z "$corpus" ]; then swift build --product xen-board >&2; corpus=$(.build/debug/xen-board fetch --corpus); fi
  rm -rf "$fuzz/seeds.tmp"; mkdir -p "$fuzz/seeds.tmp"/{dtb,boardfile,passthrough}
  local i=0
  while IFS= read -r -d '' f; do
    i=$((i + 1))
    if [ $((i % 8)) -eq 0 ]; then   # every 8th DTB, so one passthrough pass over the seeds stays short
      for sel in 0 65 130 195; do
        { printf "\\$(printf '%03o' "$sel")"; cat "$f"; } > "$fuzz/seeds.tmp/passthrough/$i-$sel"
      done
    fi
  done < <(find -L "$corpus" -name '*.dtb' -size -1024k -print0 | sort -z)
  # Small trees (root + one top-level subtree) keep the decoder target fast; see Fuzz/FuzzTargets/FuzzSeeds.swift.
  find -L "$corpus" -name '*.dtb' -size -1024k -print0 | sort -z | xargs -0 .build-fuzz/release/fuzz-dtb --make-seeds "$fuzz/seeds.tmp/dtb" >&2
  cp boards/*.toml "$fuzz/seeds.tmp/boardfile/"
  rm -rf "$fuzz/seeds"; mv "$fuzz/seeds.tmp" "$fuzz/seeds"
  echo "fuzz: seeds: $(ls "$fuzz/seeds/dtb" | wc -l) dtb, $(ls "$fuzz/seeds/boardfile" | wc -l) boardfile, $(ls "$fuzz/seeds/passthrough" | wc -l) passthrough" >&2
}

# Runs one target; exit status non-zero on any crash, timeout (10 s per input) or out-of-memory.
run() {
  local target=$1 seconds=$2; shift 2
  local bin=.build-fuzz/release/fuzz-$target
  [ -x "$bin" ] || { echo "fuzz: $bin missing (scripts/fuzz.sh build)" >&2; exit 1; }
  [ -d "$fuzz/seeds/$target" ] || seeds
  mkdir -p "$fuzz/corpus/$target" "$fuzz/findings/$target"
  local max_len=1048576
  [ "$target" = boardfile ] && max_len=65536
  # The outer timeout is the hard stop should libFuzzer itself hang (e.g. a finding that blocks in exit).
  timeout --kill-after=30 $((seconds + 120)) "$bin" "$fuzz/corpus/$target" "$fuzz/seeds/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len -print_final_stats=1 \
    -artifact_prefix="$fuzz/findings/$target/" "$@"
}

case ${1:-} in
  build) build ;;
  seeds) seeds ;;
  run) shift; run "$@" ;;
  ci)
    seconds=${2:-60}
    build; seeds
    for t in "${targets[@]}"; do
      echo "fuzz: $t for ${seconds}s" >&2
      if ! run "$t" "$seconds" > "$fuzz/$t.log" 2>&1; then
        tail -n 40 "$fuzz/$t.log" >&2
        echo "fuzz: $t FAILED (finding in $fuzz/findings/$t)" >&2; exit 1
      fi
      grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$fuzz/$t.log" | sed "s/^/fuzz: $t: /" >&2
    done ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
