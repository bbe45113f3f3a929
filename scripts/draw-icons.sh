#!/usr/bin/env bash
# Draws Megane's toolbar icons (a pair of glasses, "megane") with ImageMagick: public/icon/<size>.png,
# and the dimmed face the button shows where Megane is off, public/icon-off/<size>.png. The PNGs are
# committed; run this only to change them.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert -size 512x512 xc:none -fill '#3a4ec4' -draw "roundrectangle 16,16 496,496 96,96" \
  -stroke white -strokewidth 36 -fill none -draw "circle 150,280 150,200" -draw "circle 362,280 362,200" \
  -draw "arc 226,240 286,300 200,340" -draw "line 72,262 44,214" -draw "line 440,262 468,214" "$tmp/on.png"
convert "$tmp/on.png" -colorspace Gray -channel A -evaluate multiply 0.55 +channel "$tmp/off.png"
mkdir -p public/icon public/icon-off
for size in 16 32 48 128; do
  convert "$tmp/on.png" -resize "${size}x${size}" -depth 8 "public/icon/$size.png"
  convert "$tmp/off.png" -resize "${size}x${size}" -depth 8 "public/icon-off/$size.png"
done
