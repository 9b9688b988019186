#!/usr/bin/env bash
# bench/live.sh [TARGET_PACKETS]: how fast `teardown live` keeps up on loopback without a drop.
#
# For each load (wrk keep-alive, wrk Connection: close, ab HTTP/1.0), bench/make-capture.sh runs real
# nginx in a private network namespace and captures it with `teardown live --count TARGET_PACKETS`
# (default 1,000,000; full snaplen, 64 MiB kernel buffer) instead of tcpdump. Per load it reports the
# packets read, the capture span, packets/s, libpcap's dropped count, and whether `teardown analyze` on
# the --write file gives exactly the rows live wrote. The load generators, nginx and teardown share this
# machine's cores: the rate is what the load reached, with teardown capturing it all.
#
# Output: a table on stdout and in bench/live-results.txt. Needs root. Bounded: each capture by
# make-capture's MAX_SECS (default here 120 s).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TARGET=${1:-1000000}
WORK=$HERE/work
mkdir -p "$WORK"
[[ $(id -u) -eq 0 ]] || { echo "live.sh: needs root" >&2; exit 1; }
"$ROOT/teardown" --version >/dev/null   # build the jar before anything is timed

RESULTS=$HERE/live-results.txt
{
    echo "# bench/live.sh $(date -u +%Y-%m-%dT%H:%M:%SZ): teardown live on loopback, $TARGET packets per load"
    echo "# $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -r)," \
        "teardown $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    printf '%-10s %10s %9s %12s %8s %10s %13s %8s %s\n' load packets span_s packets/s dropped conns live=analyze cpu_s pkts/cpu-s
} > "$RESULTS"

for load in keepalive close ab; do
    out=$WORK/live-$load.pcap
    rm -f "$out" "$out.meta" "$out.live.csv" "$out.live.out" "$out.live.time"
    echo "live.sh: load $load" >&2
    if ! CAPTURER=teardown PHASES=$load SNAPLEN=0 VERIFY=0 MAX_SECS=${MAX_SECS:-120} AB_REQUESTS=100000 \
        "$HERE/make-capture.sh" "$out" "$TARGET"; then
        printf '%-10s %s\n' "$load" "failed (see stderr; drops discard the capture)" >> "$RESULTS"
        continue
    fi
    packets=$(sed -n 's/^packets=//p' "$out.meta")
    span=$(sed -n 's/^capture_duration_seconds=//p' "$out.meta")
    dropped=$(sed -n 's/^kernel_drops=//p' "$out.meta")
    conns=$(( $(wc -l < "$out.live.csv") - 1 ))
    same=no
    "$ROOT/teardown" analyze "$out" --csv "$WORK/analyze-$load.csv" -q
    cmp -s <(sort "$out.live.csv") <(sort "$WORK/analyze-$load.csv") && same=yes
    pps=$(awk -v p="$packets" -v s="$span" 'BEGIN { printf "%.0f", p / s }')
    # teardown's user+sys seconds for the whole run (JVM start and JIT included): its headroom.
    cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$out.live.time")
    per_cpu=$(awk -v p="$packets" -v c="$cpu" 'BEGIN { printf "%.0f", p / c }')
    printf '%-10s %10s %9.3f %12s %8s %10s %13s %8s %s\n' "$load" "$packets" "$span" "$pps" "$dropped" "$conns" "$same" \
        "$cpu" "$per_cpu" >> "$RESULTS"
    rm -f "$out" "$WORK/analyze-$load.csv"
done
cat "$RESULTS"
