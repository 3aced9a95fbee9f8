#!/usr/bin/env bash
# Downloads Debian's Xen 4.17 hypervisor packages (arm64 and armhf) and unpacks their hypervisor images.
# Prints a directory holding `xen-arm64` (arm64 Image) and `xen-armhf` (arm32 zImage) on stdout (the last line).
# Cached by package version + sha256.
#   XEN_BOARD_CACHE  cache root (default ~/.cache/xen-board)
set -euo pipefail
cache=${XEN_BOARD_CACHE:-$HOME/.cache/xen-board}
mkdir -p "$cache/debs" "$cache/xen"

# name in the result dir : package:arch : path of the image inside the deb
specs=(
  "xen-arm64:xen-hypervisor-4.17-arm64:arm64:boot/xen-4.17-arm64"
  "xen-armhf:xen-hypervisor-4.17-armhf:armhf:boot/xen-4.17-armhf"
)

# One apt-cache call per question for both packages (each call costs about a second).
pkgs=()
for spec in "${specs[@]}"; do IFS=: read -r _ pkg arch _ <<<"$spec"; pkgs+=("$pkg:$arch"); done
policy=$(apt-cache policy "${pkgs[@]}" 2>/dev/null |
  awk '/^[^ ]/ { name = $1; sub(/:$/, "", name) } /Candidate:/ { print name, $2 }')
want=()
for p in "${pkgs[@]}"; do
  ver=$(awk -v p="$p" '$1 == p { print $2 }' <<<"$policy")
  if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
    echo "fetch-xen: cannot resolve $p (run scripts/setup.sh first)" >&2; exit 1
  fi
  want+=("$p=$ver")
done
shas=$(apt-cache show "${want[@]}" |
  awk '/^Package:/ { p = $2 } /^Architecture:/ { a = $2 } /^Version:/ { v = $2 } /^SHA256:/ { print p ":" a "=" v, $2 }')

debs=() key=""
for w in "${want[@]}"; do
  pkg=${w%%:*} arch=${w#*:}; arch=${arch%%=*} ver=${w#*=}
  sha=$(awk -v w="$w" '$1 == w { print $2; exit }' <<<"$shas")
  [ -n "$sha" ] || { echo "fetch-xen: no SHA256 for $w in apt-cache show" >&2; exit 1; }
  deb="$cache/debs/${pkg}_${ver}_${arch}.deb"
  if [ ! -f "$deb" ] || [ "$(sha256sum "$deb" | cut -d' ' -f1)" != "$sha" ]; then
    echo "fetch-xen: downloading $pkg:$arch $ver" >&2
    tmp=$(mktemp -d "$cache/debs/.dl.XXXXXX")
    (cd "$tmp" && apt-get download -q "$pkg:$arch=$ver" >&2)
    got=$(ls "$tmp"/*.deb)
    if [ "$(sha256sum "$got" | cut -d' ' -f1)" != "$sha" ]; then
      echo "fetch-xen: sha256 mismatch for $got (expected $sha)" >&2; rm -rf "$tmp"; exit 1
    fi
    mv "$got" "$deb"; rm -rf "$tmp"
  fi
  debs+=("$deb")
  key+="$pkg:$arch=$ver $sha;"
done

# One directory per (version, sha256) pair of the two packages; created complete, then renamed into place.
ver=${want[0]#*=}
out="$cache/xen/xen-4.17_${ver}_$(printf %s "$key" | sha256sum | cut -c1-12)"
if [ ! -f "$out/.complete" ]; then
  echo "fetch-xen: unpacking the hypervisor images" >&2
  tmp=$(mktemp -d "$cache/xen/.x.XXXXXX")
  for i in "${!specs[@]}"; do
    IFS=: read -r name _ _ inner <<<"${specs[$i]}"
    mkdir "$tmp/pkg"
    dpkg-deb -x "${debs[$i]}" "$tmp/pkg"
    if [ ! -s "$tmp/pkg/$inner" ]; then
      echo "fetch-xen: ${debs[$i]} has no $inner" >&2; rm -rf "$tmp"; exit 1
    fi
    mv "$tmp/pkg/$inner" "$tmp/$name"
    rm -rf "$tmp/pkg"
  done
  printf '%s\n' "$key" | tr ';' '\n' | sed '/^$/d' >"$tmp/VERSIONS"
  chmod 755 "$tmp"; touch "$tmp/.complete"
  rm -rf "$out"
  mv -T "$tmp" "$out" 2>/dev/null || rm -rf "$tmp"   # a concurrent run may have won the rename
fi
echo "fetch-xen: $(ls "$out"/xen-arm64 "$out"/xen-armhf | tr '\n' ' ')" >&2
echo "$out"
