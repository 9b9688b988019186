#!/usr/bin/env bash
# Makes docs/report.png: the HTML report of a capture (the benchmark's, bench/work/capture.pcap, by default) as
# headless Chromium shows its first screens at a laptop's width, reduced to a palette by pngquant when it is
# installed (apt-get install -y chromium pngquant), so that the picture stays small enough to keep in the repo.
#
#   scripts/report-screenshot.sh [CAPTURE] [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
capture=${1:-bench/work/capture.pcap}
out=${2:-docs/report.png}
command -v chromium >/dev/null || { echo "report-screenshot: needs chromium" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./teardown analyze "$capture" --html "$work/report.html" -q
# A fresh profile in the work directory; no sandbox, as root in a container has none to give.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --user-data-dir="$work/profile" --window-size=1280,2300 --screenshot="$work/report.png" \
  "file://$work/report.html" 2>/dev/null
if command -v pngquant >/dev/null; then
  pngquant --quality=60-85 --speed 1 --force --output "$out" "$work/report.png"
else
  cp "$work/report.png" "$out"
fi
ls -l "$out"
