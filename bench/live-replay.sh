#!/usr/bin/env bash
# bench/live-replay.sh [CAPTURE.pcap]: the packet rate at which `teardown live` starts to drop.
#
# Real loads on loopback (bench/live.sh) are capped by what wrk, ab and nginx produce on this machine.
# To push harder, this replays a real capture (default: the first PACKETS packets of the benchmark
# capture, bench/work/capture.pcap, made by bench/make-capture.sh) with tcpreplay into one end of a veth
# pair inside a private network namespace, and captures the other end, at fixed rates and at top speed.
# At each rate it runs `teardown live -i vb` and, for comparison, `tcpdump -i vb -w /dev/null`, both
# with a 32 MiB kernel buffer (teardown's default), and reports what each read and what libpcap says it
# dropped. teardown also writes its CSV (to /dev/null), so it does the whole analysis at that rate.
#
# Output: a table on stdout and in bench/live-replay-results.txt. Needs root and tcpreplay (installed
# with apt-get if missing). Bounded: each capture stops 2 s after its replay ends; every replay is one
# pass over at most PACKETS packets.
#
# Environment: PACKETS=1000000, RATES="100000 200000 300000 topspeed" (packets/s; topspeed = as fast as
# tcpreplay can send), LIVE_ARGS (more options for teardown live, e.g. "--threads 1"). teardown's whole-process
# CPU time (user+sys, /usr/bin/time around the launcher, which execs java) is the td_cpu_s column.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PACKETS=${PACKETS:-1000000}
RATES=${RATES:-"100000 200000 300000 topspeed"}
LIVE_ARGS=${LIVE_ARGS:-}
SRC=${1:-$HERE/work/capture.pcap}
[[ $(id -u) -eq 0 ]] || { echo "live-replay: needs root" >&2; exit 1; }
command -v tcpreplay >/dev/null || apt-get install -y tcpreplay >/dev/null
for c in tcpreplay tcpdump ip pgrep /usr/bin/time; do command -v $c >/dev/null || { echo "live-replay: missing $c" >&2; exit 1; }; done
[[ -s $SRC ]] || "$HERE/make-capture.sh" "$SRC"
"$ROOT/teardown" --version >/dev/null   # build the jar before anything is timed

NS=td-replay-$$
TMP=$(mktemp -d /tmp/td-replay.XXXXXX)
CAP_PID=
cleanup() {
    local rc=$?
    set +e
    if [[ -n $CAP_PID ]]; then kill -TERM "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null; fi
    local p
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns delete "$NS" 2>/dev/null
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS"
ip -n "$NS" link add va type veth peer name vb
ip -n "$NS" link set va up
ip -n "$NS" link set vb up
tcpdump -r "$SRC" -c "$PACKETS" -w "$TMP/replay.pcap" 2>/dev/null
sent_total=$(tcpdump -r "$TMP/replay.pcap" 2>/dev/null | wc -l)

# capture TOOL RATE: one replay at RATE while TOOL captures vb; prints "read dropped actual_pps cpu_s"
capture() {
    local tool=$1 rate=$2 i read dropped cpu=- java
    rm -f "$TMP/cap.out" "$TMP/cap.err" "$TMP/td.time"
    if [[ $tool == teardown ]]; then
        # shellcheck disable=SC2086 # LIVE_ARGS is a list of options
        ip netns exec "$NS" /usr/bin/time -f '%U %S' -o "$TMP/td.time" "$ROOT/teardown" live -i vb --csv /dev/null \
            $LIVE_ARGS >"$TMP/cap.out" 2>"$TMP/cap.err" &
    else
        ip netns exec "$NS" tcpdump -i vb -n -B 32768 -w /dev/null >"$TMP/cap.out" 2>"$TMP/cap.err" &
    fi
    CAP_PID=$!
    # Ready: teardown's launcher may build the jar; give the capture a moment to open.
    for i in $(seq 100); do
        if [[ $tool == tcpdump ]]; then grep -q 'listening on' "$TMP/cap.err" && break; else sleep 2; break; fi
        sleep 0.1
    done
    local speed=(--pps="$rate"); [[ $rate == topspeed ]] && speed=(--topspeed)
    ip netns exec "$NS" timeout 120 tcpreplay -K -i va "${speed[@]}" "$TMP/replay.pcap" >"$TMP/replay.out" 2>&1
    sleep 2
    # teardown runs under /usr/bin/time: the signal goes to java (time's child), which writes its summary and exits.
    java=$(pgrep -P "$CAP_PID" || true)
    kill -TERM "${java:-$CAP_PID}"; wait "$CAP_PID" || true; CAP_PID=
    actual=$(sed -n 's/.*Rated: .*Mbps, \([0-9.]*\) pps.*/\1/p' "$TMP/replay.out")
    if [[ $tool == teardown ]]; then
        cpu=$(awk '{printf "%.2f", $1 + $2}' "$TMP/td.time" 2>/dev/null || echo '?')
        read=$(sed -n 's/^packets *\([0-9,]*\) read.*/\1/p' "$TMP/cap.out" | tr -d ,)
        dropped=$(sed -n 's/.*libpcap[: ]*[0-9,]* received, \([0-9,]*\) dropped, \([0-9,]*\) dropped by the interface.*/\1 \2/p' \
            "$TMP/cap.out" | tr -d , | awk '{print $1 + $2}')
    else
        read=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$TMP/cap.err")
        dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$TMP/cap.err")
    fi
    echo "${read:-?} ${dropped:-?} ${actual:-?} ${cpu:-?}"
}

RESULTS=$HERE/live-replay-results.txt
{
    echo "# bench/live-replay.sh $(date -u +%Y-%m-%dT%H:%M:%SZ): $sent_total packets of $(basename "$SRC") replayed over veth"
    echo "# $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -r)," \
        "teardown $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(tcpreplay -V 2>&1 | head -1)"
    echo "# teardown live -i vb --csv /dev/null $LIVE_ARGS"
    printf '%-9s %12s %10s %10s %10s %12s %10s %10s\n' rate sent/s td_read td_drop td_cpu_s "" tcpdump_read tcpdump_drop
} > "$RESULTS"
for rate in $RATES; do
    echo "live-replay: rate $rate" >&2
    read -r td_read td_drop td_pps td_cpu < <(capture teardown "$rate")
    read -r dump_read dump_drop dump_pps _ < <(capture tcpdump "$rate")
    printf '%-9s %12s %10s %10s %10s %12s %10s %10s\n' "$rate" "${td_pps%.*}" "$td_read" "$td_drop" "$td_cpu" \
        "(${dump_pps%.*}/s)" "$dump_read" "$dump_drop" >> "$RESULTS"
done
cat "$RESULTS"
