#!/usr/bin/env bash
# Downloads Debian's arm64 and armmp-lpae kernel packages and unpacks their DTBs into the cache.
# Prints the corpus directory on stdout (the last line). Cached by package version + sha256.
#   XEN_BOARD_CACHE  cache root (default ~/.cache/xen-board)
set -euo pipefail
cache=${XEN_BOARD_CACHE:-$HOME/.cache/xen-board}
mkdir -p "$cache/debs" "$cache/dtbs"

# The kernel ABI package a meta package currently depends on, e.g. linux-image-6.1.0-50-arm64.
resolve() { # meta-package:arch
  apt-cache depends "$1" 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

corpus_dirs=()
for spec in linux-image-arm64:arm64 linux-image-armmp-lpae:armhf; do
  arch=${spec##*:}
  pkg=$(resolve "$spec")
  pkg=${pkg%%:*}
  if [ -z "$pkg" ]; then echo "fetch-corpus: cannot resolve $spec (run scripts/setup.sh first)" >&2; exit 1; fi
  ver=$(apt-cache policy "$pkg:$arch" | awk '/Candidate:/{print $2}')
  sha=$(apt-cache show "$pkg:$arch=$ver" | awk '/^SHA256:/{print $2; exit}')
  deb="$cache/debs/${pkg}_${ver}_${arch}.deb"
  if [ ! -f "$deb" ] || [ "$(sha256sum "$deb" | cut -d' ' -f1)" != "$sha" ]; then
    echo "fetch-corpus: downloading $pkg:$arch $ver" >&2
    tmp=$(mktemp -d "$cache/debs/.dl.XXXXXX")
    (cd "$tmp" && apt-get download -q "$pkg:$arch=$ver" >&2)
    got=$(ls "$tmp"/*.deb)
    if [ "$(sha256sum "$got" | cut -d' ' -f1)" != "$sha" ]; then
      echo "fetch-corpus: sha256 mismatch for $got (expected $sha)" >&2; rm -rf "$tmp"; exit 1
    fi
    mv "$got" "$deb"; rm -rf "$tmp"
  fi
  out="$cache/dtbs/${pkg}_${ver}_${sha:0:12}"
  if [ ! -f "$out/.complete" ]; then
    echo "fetch-corpus: unpacking DTBs of $pkg" >&2
    tmp=$(mktemp -d "$cache/dtbs/.x.XXXXXX")
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards '*.dtb'
    rm -rf "$out"; mkdir -p "$out"
    (cd "$tmp"/usr/lib/linux-image-* && cp -r . "$out/")
    rm -rf "$tmp"; touch "$out/.complete"
  fi
  corpus_dirs+=("$out")
done

# One directory holding both kernels' trees (symlinks), so tools can take a single path.
link="$cache/dtbs/corpus"
rm -rf "$link.tmp"; mkdir -p "$link.tmp"
for d in "${corpus_dirs[@]}"; do ln -s "$d" "$link.tmp/$(basename "$d")"; done
rm -rf "$link"; mv "$link.tmp" "$link"
n=$(find -L "$link" -name '*.dtb' | wc -l)
echo "fetch-corpus: $n DTBs" >&2
echo "$link"
