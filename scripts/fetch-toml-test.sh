#!/usr/bin/env bash
# Fetches the public toml-test suite (valid/ and invalid/ TOML cases with their expected JSON) into the cache, from
# Debian's golang-github-burntsushi-toml-dev, which ships it as the BurntSushi/toml parser's own compliance data
# (internal/toml-test/tests). Prints the directory holding valid/ and invalid/ on stdout (the last line).
#   XEN_BOARD_CACHE  cache root (default ~/.cache/xen-board)
set -euo pipefail
cache=${XEN_BOARD_CACHE:-$HOME/.cache/xen-board}
pkg=golang-github-burntsushi-toml-dev
ver=$(apt-cache policy "$pkg" | awk '/Candidate:/{print $2}')
sha=$(apt-cache show "$pkg=$ver" 2>/dev/null | awk '/^SHA256:/{print $2; exit}')
if [ -z "$ver" ] || [ "$ver" = "(none)" ] || [ -z "$sha" ]; then
  echo "fetch-toml-test: $pkg is not known to apt (run scripts/setup.sh first)" >&2; exit 1
fi
out="$cache/toml-test/${pkg}_${ver}_${sha:0:12}"
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$cache/toml-test" "$cache/debs"
  deb="$cache/debs/${pkg}_${ver}_all.deb"
  if [ ! -f "$deb" ] || [ "$(sha256sum "$deb" | cut -d' ' -f1)" != "$sha" ]; then
    echo "fetch-toml-test: downloading $pkg $ver" >&2
    tmp=$(mktemp -d "$cache/debs/.dl.XXXXXX")
    (cd "$tmp" && apt-get download -q "$pkg=$ver" >&2)
    got=$(ls "$tmp"/*.deb)
    if [ "$(sha256sum "$got" | cut -d' ' -f1)" != "$sha" ]; then
      echo "fetch-toml-test: sha256 mismatch for $got (expected $sha)" >&2; rm -rf "$tmp"; exit 1
    fi
    mv "$got" "$deb"; rm -rf "$tmp"
  fi
  tmp=$(mktemp -d "$cache/toml-test/.x.XXXXXX")
  dpkg-deb -x "$deb" "$tmp"
  suite=$(find "$tmp" -type d -path '*/internal/toml-test/tests' | head -n1)
  if [ -z "$suite" ] || [ ! -d "$suite/valid" ] || [ ! -d "$suite/invalid" ]; then
    echo "fetch-toml-test: $pkg $ver does not carry internal/toml-test/tests/{valid,invalid}" >&2; rm -rf "$tmp"; exit 1
  fi
  rm -rf "$out"; mv "$suite" "$out"; rm -rf "$tmp"; touch "$out/.complete"
fi
echo "$out"
